"""Hostile files for the two importers: the ACS inventory workbook and the field
submissions (ODK Central / KoboToolbox CSV and XLSX).

Whatever the file, an import either succeeds or is refused with problems; a refused import
leaves the database exactly as it was (a digest of every table an import touches), the web
upload answers 200/400/422 with a message and never a server error or a traceback, and the
command exits 1 with one line on standard error. Hypothesis drives the importers (the one
service the web and the command line share) with generated files; the web and the
command line get a sample of the same, among them workbooks whose zip opens but whose sheet
is broken (openpyxl reads a sheet only as its rows are asked for).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from acsreview.core.instrument.select import field_name, for_group
from acsreview.web.consultations.models import Consultation, Link, Response, ResponseAnswer
from acsreview.web.consultations.services.field_import import (
    FieldImportFailed,
    import_field_submissions,
)
from acsreview.web.reviews.models import (
    AuditEvent,
    ContextIndicator,
    Measure,
    MeasureStat,
    Review,
)
from acsreview.web.reviews.services.inventory_import import ImportFailed, import_inventory
from acsreview.web.reviews.services.inventory_sheets import COLUMNS

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow, HealthCheck.data_too_large])
TABLES = [Review, Measure, MeasureStat, ContextIndicator, AuditEvent, Consultation, Link,
          Response, ResponseAnswer]


def digest() -> str:
    """Every row of every table an import may touch, as one hash."""
    h = hashlib.sha256()
    for model in TABLES:
        h.update(model.__name__.encode())
        for row in model.objects.order_by("pk").values_list():
            h.update(repr(row).encode())
    return h.hexdigest()


def problem_lines(problems) -> list[str]:
    lines = [str(p) for p in problems]
    assert lines
    for line in lines:
        assert "Traceback" not in line, line
    return lines


# --- building hostile files ---------------------------------------------------------------

def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name[:31] or "Sheet")
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rewrite_member(data: bytes, member: str, change) -> bytes:
    """The workbook ``data`` with one zip member's bytes passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == member
                            else content)
    return out.getvalue()


def storable(value):
    """What openpyxl can write (it refuses C0 control characters in a cell)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


# Digits that str.isdigit() accepts but int() refuses (superscripts, circled numbers), and
# U+FFFE and U+FFFF, which openpyxl writes into a cell but cannot read back.
NOT_INT = "".join(c for c in map(chr, range(0x2500)) if c.isdigit() and not c.isdecimal())
UNREADABLE = "\ufffe\uffff"

HOSTILE_TEXT = [
    "", " ", "\u00a0", "=1/0", "=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0",
    "-2+3", "@SUM(A1)", "<script>alert(1)</script>", "'; DROP TABLE reviews; --", "\u202eevil",
    "\u200b", "\ufeffname", "\U0001f600", "e\u0301", "\ufffd", "NaN", "inf", "-0",
    "0x1F", "1,234", "1.234,5", "١٢", "2024.0", "2024-01-01", "null", "None", "TRUE",
    "x" * 300, "y" * 40_000, "2\u00b2", "\u2460", "1" + "0" * 5000, "1e30",
    f"A {UNREADABLE} measure",
]
text_cells = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=30),
    st.text(st.sampled_from("0123456789" + NOT_INT), min_size=1, max_size=6),
).map(storable)
cells = st.one_of(
    st.none(), text_cells, st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.datetimes(), st.dates(),
)


# --- the inventory workbook ---------------------------------------------------------------

GOOD_INVENTORY = {
    "measures": [COLUMNS["measures"],
                 ["Drug treatment order", "drug_treatment_order", "sentencing", "Penal Code",
                  None, None, None, None, None, None, None, None]],
    "statistics": [COLUMNS["statistics"],
                   ["Drug treatment order", 2024, 400, 120, 100, 70, 12, "Ministry"]],
    "indicators": [COLUMNS["indicators"], [2024, "prison_population", 8123, "SPACE I"]],
}


@pytest.fixture
def inventory(cast, instrument):
    """XA-2026 with an inventory already imported: a refused import must leave it as is."""
    review = cast.xa_review
    import_inventory(review, io.BytesIO(workbook_bytes(GOOD_INVENTORY)), instrument)
    assert review.measures.count() == 1
    return review


def valid_row(sheet: str, i: int) -> list:
    return {"measures": [f"Measure {i}", "treatment", "sentencing", *[None] * 9],
            "statistics": ["Drug treatment order", 2000 + i, 40, 30, 20, 10, 5, "Ministry"],
            "indicators": [2000 + i, "prison_population", 8000 + i, "SPACE I"]}[sheet]


@st.composite
def inventory_books(draw):
    """Workbooks of the inventory's sheets and others; rows valid but for a few hostile
    cells, under a header that may be shuffled, cut or garbled."""
    sheets = {}
    for sheet in draw(st.lists(st.sampled_from([*COLUMNS, "README", "Measures ", "x"]),
                               min_size=1, unique=True)):
        known = sheet.strip().lower()
        header = list(COLUMNS.get(known, ["a", "b"]))
        rows = []
        for i in range(draw(st.integers(0, 5))):
            row = valid_row(known, i) if known in COLUMNS else [None, None]
            for at in draw(st.lists(st.integers(0, len(row) - 1), max_size=3)):
                row[at] = draw(cells)
            rows.append(row)
        shape = draw(st.integers(0, 5))
        if shape == 0:  # columns in another order, the rows with them
            order = draw(st.permutations(range(len(header))))
            header = [header[i] for i in order]
            rows = [[row[i] for i in order] for row in rows]
        elif shape == 1:  # a column lost or garbled
            header[draw(st.integers(0, len(header) - 1))] = draw(text_cells)
        elif shape == 2:  # rows longer or shorter than the header
            rows = [row[:draw(st.integers(0, len(row)))] + draw(st.lists(cells, max_size=2))
                    for row in rows]
        sheets[sheet] = [header, *rows]
    return workbook_bytes(sheets)


def try_inventory(review, instrument, data: bytes):
    """Import ``data``; if it is refused, nothing has changed."""
    before = digest()
    try:
        import_inventory(review, io.BytesIO(data), instrument)
    except ImportFailed as exc:
        problem_lines(exc.problems)
        assert digest() == before
        return False
    return True


@HYPOTHESIS
@given(data=inventory_books())
def test_a_generated_inventory_workbook_imports_or_changes_nothing(inventory, instrument,
                                                                   data):
    try_inventory(inventory, instrument, data)


@HYPOTHESIS
@given(data=st.binary(max_size=3000))
@example(data=b"PK\x03\x04" + b"\x00" * 200)
@example(data=b"PK\x05\x06" + b"\x00" * 18)
def test_random_bytes_are_refused_as_an_inventory(inventory, instrument, data):
    assert not try_inventory(inventory, instrument, data)


GOOD_BOOK = workbook_bytes(GOOD_INVENTORY)


@HYPOTHESIS
@given(cut=st.integers(0, len(GOOD_BOOK) - 1), prefix=st.binary(max_size=40))
def test_a_truncated_workbook_is_refused_and_changes_nothing(inventory, instrument, cut,
                                                            prefix):
    assert not try_inventory(inventory, instrument, prefix + GOOD_BOOK[:cut])


def test_formulas_are_read_as_their_values_or_blank(inventory, instrument):
    """openpyxl writes no cached value: a formula is a blank cell, never its text."""
    book = workbook_bytes({"indicators": [COLUMNS["indicators"],
                                          [2023, "prison_population", "=1/0", "=A1"]]})
    before = digest()
    with pytest.raises(ImportFailed) as refused:
        import_inventory(inventory, io.BytesIO(book), instrument)
    # the value's formula is a blank (not known); the source's is a missing source
    assert [str(p) for p in refused.value.problems] == [
        "indicators row 2, column source: say where the value comes from (a source is "
        "required)"]
    assert digest() == before


# --- the field submissions ----------------------------------------------------------------

CID = uuid.UUID("0c5a5c1e-6a0b-4f0e-8d7b-3a2f1e0d9c8b")
OTHER_CID = uuid.UUID("0c5a5c1e-6a0b-4f0e-8d7b-000000000000")  # no consultation of the review


@pytest.fixture
def consultation(cast):
    found = Consultation.objects.create(review=cast.xa_review, languages=["en"],
                                        public_id=CID)
    for group in ("police", "judges"):
        Link.objects.create(consultation=found, group=group)
    return found


def police_columns(instrument) -> dict[str, str]:
    """The police form's question columns, as ODK Central names them."""
    columns = {}
    for level in for_group(instrument, "police").levels:
        for domain in level.domains:
            for q in domain.questions:
                columns[q.id] = f"{field_name(domain.id)}-{field_name(q.id)}"
    return columns


def submission_table(instrument, rows: list[dict]) -> list[list]:
    questions = police_columns(instrument)
    header = ["SubmissionDate", "stakeholder_group", "consultation_id", "form_language",
              *questions.values(), "meta-instanceID", "KEY", "SubmitterName"]
    table = [header]
    for row in rows:
        table.append([row.get("date", "2026-03-02T09:15:04.512Z"), row.get("group", "police"),
                      row.get("consultation", str(CID)), row.get("language", "en"),
                      *[row.get("answers", {}).get(q, "") for q in questions],
                      row["instance"], row["instance"], "Field team A"])
    return table


def csv_bytes(table, *, delimiter=",", encoding="utf-8", newline="\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(table)
    return out.getvalue().encode(encoding, errors="replace")


@pytest.fixture
def imported(consultation, instrument):
    """Two submissions already imported: a refused import must leave them as they are."""
    rows = [{"instance": f"uuid:{uuid.UUID(int=i)}", "answers": {"SYS-REG-01": "yes"}}
            for i in (1, 2)]
    summary = import_field_submissions(
        consultation.review, io.BytesIO(csv_bytes(submission_table(instrument, rows))),
        name="first.csv")
    assert summary.imported == 2
    return consultation


CHOICES = ["yes", "partly", "no", "dont_know", "not_applicable", "Yes", "Oui", "prefer_not"]
FORMULAS = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example\")", "+1+1", "-1+2",
            "@SUM(1,1)", "\t=1+1"]
raw_text = st.one_of(st.sampled_from([*HOSTILE_TEXT, *FORMULAS, "\x00", "a\x00b", "\r", "\n",
                                      '"', '""', "x" * 6000, "z" * 140_000]),
                     st.text(max_size=30))


@st.composite
def submission_rows(draw, instrument):
    questions = list(police_columns(instrument))
    rows = []
    for i in range(draw(st.integers(0, 4))):
        row = {"instance": draw(st.one_of(st.just(f"uuid:{uuid.uuid5(CID, str(i))}"),
                                          raw_text)),
               "answers": {}}
        for key, good in (("group", st.sampled_from(["police", "judges", "health"])),
                          ("consultation", st.sampled_from([str(CID), str(OTHER_CID)])),
                          ("language", st.sampled_from(["en", "fr", ""])),
                          ("date", st.sampled_from(["2026-03-02", "9999-12-31T23:59:59-23:59",
                                                    "0001-01-01", "2026-02-30"]))):
            if draw(st.integers(0, 3)) == 0:
                row[key] = draw(st.one_of(good, raw_text))
        for q in draw(st.lists(st.sampled_from(questions), max_size=4)):
            row["answers"][q] = draw(st.one_of(st.sampled_from(CHOICES), raw_text))
        rows.append(row)
    return rows


@st.composite
def submission_csvs(draw, instrument):
    table = submission_table(instrument, draw(submission_rows(instrument)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    data = csv_bytes(table, delimiter=draw(st.sampled_from([",", ";", "\t", "|"])),
                     encoding=encoding, newline=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    if draw(st.integers(0, 5)) == 0:  # a stray BOM, NUL or quote somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([codecs.BOM_UTF8, b"\x00", b'"', b"\xff"])) \
            + data[at:]
    return data


def try_field(review, data: bytes, name: str):
    """Import ``data``; if it is refused, nothing has changed; if not, it stored no NUL."""
    before = digest()
    try:
        summary = import_field_submissions(review, io.BytesIO(data), name=name)
    except FieldImportFailed as exc:
        problem_lines(exc.problems)
        assert digest() == before
        return None
    if summary.rejected:
        problem_lines(summary.rejected)
        assert digest() == before
    for text in ResponseAnswer.objects.values_list("text", flat=True):
        assert "\x00" not in text
    for ident in Response.objects.values_list("instance_id", flat=True):
        assert ident.isprintable(), ident
    return summary


@HYPOTHESIS
@given(data=st.data())
def test_a_generated_csv_export_imports_or_changes_nothing(imported, instrument, data):
    try_field(imported.review, data.draw(submission_csvs(instrument)), "export.csv")


@HYPOTHESIS
@given(data=st.data())
def test_a_generated_xlsx_export_imports_or_changes_nothing(imported, instrument, data):
    table = submission_table(instrument, data.draw(submission_rows(instrument)))
    book = workbook_bytes({"acs_police": [[storable(c) for c in row] for row in table]})
    try_field(imported.review, book, "export.xlsx")


@HYPOTHESIS
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.csv", "x.xlsx", "x"]))
@example(data=b"\xff\xfe" + "a,b\n".encode("utf-16-le"), name="x.csv")
@example(data=b"PK\x03\x04" + b"\x00" * 100, name="x.csv")
def test_random_bytes_are_refused_as_submissions(imported, data, name):
    summary = try_field(imported.review, data, name)
    assert summary is None or summary.imported == 0


# --- the web upload and the command line --------------------------------------------------

def tampered(member: str, old: bytes, new: bytes) -> bytes:
    def change(content: bytes) -> bytes:
        assert old in content, (member, old)
        return content.replace(old, new, 1)

    return rewrite_member(GOOD_BOOK, member, change)


# The indicators sheet of GOOD_BOOK is sheet3; its value cell is C2.
VALUE_CELL = b'<c r="C2" t="n"><v>8123</v></c>'
SHEET = "xl/worksheets/sheet3.xml"
INVENTORY_FILES = {
    "random-bytes": ("inventory.xlsx", bytes(range(256)) * 4),
    "truncated-zip": ("inventory.xlsx", GOOD_BOOK[:len(GOOD_BOOK) // 2]),
    "csv-with-bom": ("inventory.xlsx", codecs.BOM_UTF8 + b"name,type\n=1+1,x\n"),
    "csv": ("inventory.csv", b"name,type\n+cmd|' /C calc'!A0,treatment\n"),
    "no-sheets": ("inventory.xlsx", workbook_bytes({"other": [["a"]]})),
    "missing-columns": ("inventory.xlsx", workbook_bytes({"measures": [["name"], ["X"]]})),
    "wrong-types": ("inventory.xlsx", workbook_bytes({
        "statistics": [COLUMNS["statistics"],
                       ["Nowhere", "year", -1, 1.5, True, "many", 10**40, "s"]],
        "indicators": [COLUMNS["indicators"], ["2024.5", "evil", "NaN", "x" * 40_000]]})),
    "huge-string": ("inventory.xlsx", workbook_bytes({
        "measures": [COLUMNS["measures"],
                     ["x" * 32_000, "treatment", "sentencing", *["y" * 32_000] * 9]]})),
    "formula-injection": ("inventory.xlsx", workbook_bytes({
        "measures": [COLUMNS["measures"],
                     ["'=cmd|' /C calc'!A0", "=1/0", "@SUM(1)", "+1", "-1", None, None, None,
                      None, None, None, None]]})),
    "bad-number": ("inventory.xlsx", tampered(SHEET, VALUE_CELL,
                                              b'<c r="C2" t="n"><v>inf</v></c>')),
    "bad-shared-string": ("inventory.xlsx", tampered(SHEET, VALUE_CELL,
                                                     b'<c r="C2" t="s"><v>99999</v></c>')),
    "broken-sheet-xml": ("inventory.xlsx", tampered(SHEET, b"</row>", b"</rw>")),
    "bad-cell-reference": ("inventory.xlsx", tampered(SHEET, b'r="C2"', b'r="ZZZZZ2"')),
    "superscript-year": ("inventory.xlsx", workbook_bytes({
        "indicators": [COLUMNS["indicators"], ["2\u00b2", "prison_population", 1, "s"]]})),
    "noncharacter": ("inventory.xlsx", workbook_bytes({
        "measures": [COLUMNS["measures"], ["A \uffff measure", "treatment", "sentencing"]]})),
    "huge-indicator": ("inventory.xlsx", workbook_bytes({
        "indicators": [COLUMNS["indicators"], [2024, "prison_population", 1e30, "s"]]})),
}


def assert_refused_on_the_web(response, before):
    body = response.content.decode("utf-8", errors="replace")
    assert response.status_code in (200, 400, 422), response.status_code
    assert "Traceback" not in body
    assert 'role="alert"' in body or 'id="id_file_error"' in body  # the message
    assert digest() == before


def assert_refused_by_the_command(result, before):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert digest() == before


@pytest.mark.parametrize("key", sorted(INVENTORY_FILES))
def test_the_inventory_upload_refuses_a_hostile_file(inventory, as_user, cast, key):
    name, data = INVENTORY_FILES[key]
    client = as_user(cast.xa_lead)
    client.raise_request_exception = False
    before = digest()
    response = client.post(reverse("reviews:inventory_import", args=[inventory.slug]),
                           {"file": SimpleUploadedFile(name, data)})
    assert_refused_on_the_web(response, before)


@pytest.mark.parametrize("key", sorted(INVENTORY_FILES))
def test_the_inventory_command_refuses_a_hostile_file(inventory, cli, tmp_path, key):
    name, data = INVENTORY_FILES[key]
    path = tmp_path / name
    path.write_bytes(data)
    before = digest()
    assert_refused_by_the_command(cli("inventory", "import", inventory.slug, path), before)


def field_file(instrument, **row) -> bytes:
    return csv_bytes(submission_table(instrument, [{"instance": "uuid:x-1", **row}]))


FIELD_SHEET = "xl/worksheets/sheet1.xml"


def field_book(instrument) -> bytes:
    return workbook_bytes({"acs_police": submission_table(instrument, [
        {"instance": "uuid:x-2", "answers": {"SYS-REG-01": "yes"}}])})


FIELD_FILES = {
    "random-bytes": lambda inst: ("export.csv", bytes(range(256)) * 4),
    "truncated-zip": lambda inst: ("export.xlsx", field_book(inst)[:3000]),
    "utf-16": lambda inst: ("export.csv", field_file(inst).decode().encode("utf-16")),
    "latin-1": lambda inst: ("export.csv", field_file(
        inst, answers={"SYS-REG-06": "caf\u00e9"}).decode().encode("latin-1")),
    "nul-everywhere": lambda inst: ("export.csv", field_file(inst).replace(b",", b",\x00")),
    "huge-field": lambda inst: ("export.csv", field_file(
        inst, answers={"SYS-REG-06": "x" * 200_000})),
    "formula-injection": lambda inst: ("export.csv", field_file(
        inst, group="=cmd|' /C calc'!A0", answers={"SYS-REG-01": "+1+1"})),
    "unbalanced-quote": lambda inst: ("export.csv", field_file(inst) + b'"unclosed,\n'),
    "header-only-garbage": lambda inst: ("export.csv", b"\xef\xbb\xbf;;;\n;;;\n"),
    "empty": lambda inst: ("export.csv", b""),
    "broken-sheet-xml": lambda inst: ("export.xlsx", rewrite_member(
        field_book(inst), FIELD_SHEET, lambda c: c.replace(b"</row>", b"</rw>", 1))),
    "bad-number": lambda inst: ("export.xlsx", rewrite_member(
        field_book(inst), FIELD_SHEET,
        lambda c: re.sub(rb'<c r="B2" t="inlineStr"><is><t>police</t></is></c>',
                         b'<c r="B2" t="n"><v>NaN</v></c>', c, count=1))),
}


@pytest.mark.parametrize("key", sorted(FIELD_FILES))
def test_the_field_upload_refuses_a_hostile_file(imported, instrument, as_user, cast, key):
    name, data = FIELD_FILES[key](instrument)
    client = as_user(cast.xa_lead)
    client.raise_request_exception = False
    before = digest()
    response = client.post(reverse("consultations:field_import",
                                   args=[imported.review.slug]),
                           {"file": SimpleUploadedFile(name, data)})
    assert_refused_on_the_web(response, before)


@pytest.mark.parametrize("key", sorted(FIELD_FILES))
def test_the_field_command_refuses_a_hostile_file(imported, instrument, cli, tmp_path, key):
    name, data = FIELD_FILES[key](instrument)
    path = tmp_path / name
    path.write_bytes(data)
    before = digest()
    result = cli("consultation", "import", imported.review.slug, path)
    assert_refused_by_the_command(result, before)
