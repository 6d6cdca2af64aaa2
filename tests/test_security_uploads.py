"""Uploads cannot exhaust the server or read its files: request size, zip bombs, XML entities.

An XLSX file is a zip of XML parts. A crafted one can unpack to gigabytes (a zip bomb) or
declare XML entities (billion laughs, external entities reading the server's files): both
are refused with a clear message before openpyxl opens the file, and nothing is written.
"""

import re
import zipfile
from io import BytesIO

import openpyxl.xml
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from acsreview.web import uploads
from acsreview.web.consultations.models import Consultation, Link, Response
from acsreview.web.reviews.models import AuditEvent, ContextIndicator, Measure, MeasureStat
from acsreview.web.uploads import UnsafeWorkbook, check_workbook

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XXE = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
       f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is>'
       '</c></row><row r="2"><c r="A2" t="inlineStr"><is><t>&secret;</t></is></c></row>'
       '</sheetData></worksheet>')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
          + f']>\n<sst {NS} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')


def workbook(sheet="measures") -> bytes:
    wb = Workbook()
    wb.active.title = sheet
    wb.active.append(["name", "type"])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_part(content: bytes, name: str, data: bytes) -> bytes:
    """``content`` (an XLSX) with the part ``name`` replaced or added."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(content)) as src, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info))
        dst.writestr(name, data)
    return out.getvalue()


def bomb(sheet="measures") -> bytes:
    """A real, valid worksheet padded to 60 MB of blanks: some 60 kB once compressed."""
    padding = b" " * (60 * 1024 * 1024)
    data = (f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode() + padding
            + b"</sheetData></worksheet>")
    return with_part(workbook(sheet), SHEET, data)


def inventory_counts():
    return (Measure.objects.count(), MeasureStat.objects.count(),
            ContextIndicator.objects.count(), AuditEvent.objects.count())


def import_inventory(client, review, content):
    return client.post(reverse("reviews:inventory_import", args=[review.slug]),
                       {"file": SimpleUploadedFile("inventory.xlsx", content)})


# --- the check itself ---------------------------------------------------------------------

def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_real_workbook_passes_and_is_rewound():
    stream = BytesIO(workbook())
    stream.seek(0)
    check_workbook(stream)
    assert stream.tell() == 0


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    content = bomb()
    assert len(content) < 200_000
    with pytest.raises(UnsafeWorkbook, match=r"part xl/worksheets/sheet1.xml is compressed "
                                             r"[\d,]+ times, as only a zip bomb is"):
        check_workbook(BytesIO(content))


def test_a_workbook_unpacking_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED", 10_000)
    with pytest.raises(UnsafeWorkbook, match=r"it unpacks to 0 MB, more than the 0 MB"):
        check_workbook(BytesIO(with_part(workbook(), "xl/media/big.bin", b"x" * 20_000)))


def test_a_workbook_of_too_many_parts_is_refused():
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(1001):
            z.writestr(f"xl/p{i}.xml", "<a/>")
    with pytest.raises(UnsafeWorkbook, match="it holds 1,001 parts"):
        check_workbook(out)


@pytest.mark.parametrize("part, xml, encoding", [
    (SHEET, XXE, "utf-8"),
    (SHEET, XXE.replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf-16"),
    ("xl/sharedStrings.xml", LAUGHS, "utf-8"),
    ("[Content_Types].xml", '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><Types/>', "utf-8"),
])
def test_xml_declaring_a_dtd_or_entities_is_refused(part, xml, encoding):
    content = with_part(workbook(), part, xml.encode(encoding))
    with pytest.raises(UnsafeWorkbook, match=re.escape(f"part {part} declares a DTD or XML "
                                                       "entities")):
        check_workbook(BytesIO(content))


def test_parts_that_are_not_xml_are_left_to_openpyxl():
    content = with_part(workbook(), "xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(200))
    check_workbook(BytesIO(content))


# --- through the imports: a clear message, nothing written -------------------------------------

def test_the_inventory_upload_refuses_a_zip_bomb_and_writes_nothing(cast, as_user):
    response = import_inventory(as_user(cast.xa_lead), cast.xa_review, bomb())
    assert response.status_code == 422
    html = response.content.decode()
    assert "this workbook is not safe to open: its part xl/worksheets/sheet1.xml is compressed" \
        in html
    assert inventory_counts() == (0, 0, 0, 0)


def test_the_inventory_upload_refuses_external_entities_and_writes_nothing(cast, as_user):
    content = with_part(workbook(), SHEET, XXE.encode())
    response = import_inventory(as_user(cast.xa_lead), cast.xa_review, content)
    assert response.status_code == 422
    html = response.content.decode()
    assert ("this workbook is not safe to open: its part xl/worksheets/sheet1.xml declares a "
            "DTD or XML entities, which workbooks never use") in html
    assert "root:" not in html
    assert inventory_counts() == (0, 0, 0, 0)


def test_the_inventory_command_refuses_them_too(cast, cli, tmp_path):
    path = tmp_path / "laughs.xlsx"
    path.write_bytes(with_part(workbook(), "xl/sharedStrings.xml", LAUGHS.encode()))
    result = cli("inventory", "import", cast.xa_review.slug, path)
    assert result.exit_code == 1
    assert "not safe to open" in result.output + result.stderr
    assert inventory_counts() == (0, 0, 0, 0)


@pytest.fixture
def consultation(cast):
    c = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    Link.objects.create(consultation=c, group="police")
    return c


@pytest.mark.parametrize("content", [bomb("acs_police"),
                                     with_part(workbook("acs_police"), SHEET, XXE.encode())],
                         ids=["zip bomb", "external entity"])
def test_the_field_import_refuses_them_and_writes_nothing(cast, as_user, consultation, content):
    response = as_user(cast.xa_lead).post(
        reverse("consultations:field_import", args=[cast.xa_review.slug]),
        {"file": SimpleUploadedFile("kobo.xlsx", content)})
    assert response.status_code == 422
    assert "kobo.xlsx: this workbook is not safe to open" in response.content.decode()
    assert Response.objects.count() == 0


# --- the size of a request ----------------------------------------------------------------------

def test_a_request_over_the_upload_limit_is_refused_unread(cast, as_user):
    client = as_user(cast.xa_lead)
    response = client.generic(
        "POST", reverse("reviews:inventory_import", args=[cast.xa_review.slug]), b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(uploads.MAX_REQUEST_BYTES + 1))
    assert response.status_code == 413
    html = response.content.decode()
    assert "The file is too large" in html and "at most 10 MB" in html
    assert inventory_counts() == (0, 0, 0, 0)


def test_the_limit_leaves_room_for_the_largest_import():
    from acsreview.web.consultations.services.field_tables import MAX_BYTES as FIELD
    from acsreview.web.reviews.services.inventory_sheets import MAX_BYTES as INVENTORY

    assert max(FIELD, INVENTORY) == uploads.MAX_UPLOAD_MB * 1024 * 1024
    assert max(FIELD, INVENTORY) < uploads.MAX_REQUEST_BYTES
