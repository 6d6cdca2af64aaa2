"""Importing field submissions: ODK Central and KoboToolbox exports, CSV and XLSX, all or
nothing, idempotent by submission id, never keeping device or submitter columns."""

import csv
import uuid
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from acsreview.core.instrument import iter_questions
from acsreview.core.instrument.select import field_name, for_group
from acsreview.web.consultations.models import Consultation, Link, Response, ResponseAnswer
from acsreview.web.consultations.services.field_import import (
    FieldImportFailed,
    import_field_submissions,
)
from acsreview.web.reviews.models import AuditEvent

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "odk"
CID = uuid.UUID("7d1f3c2a-5b64-4e8f-9a10-2c3d4e5f6a7b")  # as in tests/data/odk/*.csv
PRIVATE = ["collect:AbC123", "collect:XyZ789", "Field team A", "Field team B"]


@pytest.fixture
def consultation(cast):
    c = Consultation.objects.create(review=cast.xa_review, languages=["en"], public_id=CID)
    for group in ("police", "judges", "health"):
        Link.objects.create(consultation=c, group=group)
    return c


def counts():
    return Response.objects.count(), ResponseAnswer.objects.count(), AuditEvent.objects.filter(
        object_type="consultation").count()


# --- exports as ODK Central and KoboToolbox make them ------------------------------------

def question_columns(instrument, group, sep):
    """The question columns of ``group``'s form: ``SYS_REG-SYS_REG_01`` (sep "-")."""
    columns = {}
    for level in for_group(instrument, group).levels:
        for domain in level.domains:
            for q in domain.questions:
                name = field_name(q.id)
                columns[q.id] = f"{field_name(domain.id)}{sep}{name}" if sep else name
    return columns


def export(instrument, submissions, *, style="central", consultation_id=CID, extra=None):
    """Header and rows of an export. ``submissions``: (instance, group, {question: value})."""
    sep = {"central": "-", "kobo": "/", "plain": None}[style]
    groups = {group for _, group, _ in submissions} or {"police"}
    questions = {}
    known = {g.id for g in instrument.stakeholder_groups}
    for group in sorted(groups & known):
        questions |= question_columns(instrument, group, sep)
    meta = {"central": ["meta-instanceID", "KEY"], "kobo": ["meta/instanceID", "_uuid"],
            "plain": ["instanceID"]}[style]
    header = (["SubmissionDate" if style != "kobo" else "start", "deviceid", "instrument_id",
               "instrument_version", "stakeholder_group", "consultation_id"]
              + list(questions.values()) + meta
              + (["_submission_time", "_submitted_by", "_geolocation", "_id"]
                 if style == "kobo" else ["SubmitterName"]) + list(extra or {}))
    rows = []
    for instance, group, answers in submissions:
        ids = {"central": [instance, instance], "kobo": [instance, instance.removeprefix(
            "uuid:")], "plain": [instance]}[style]
        rows.append(["2026-03-02T09:15:04.512Z", "collect:AbC123", "acs-diagnostic", "1.0",
                     group, str(consultation_id)]
                    + [answers.get(q, "") for q in questions] + ids
                    + (["2026-03-02T09:15:04", "Field team A", "[48.2, 16.3]", 99]
                       if style == "kobo" else ["Field team A"]) + list((extra or {}).values()))
    return header, rows


def write_csv(path, header, rows, *, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "acs_7d1f3c2a_police"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.create_sheet("repeat_group").append(["_index", "_parent_index"])
    wb.save(path)
    return path


def full(instrument, group, answer="yes"):
    """Every question of ``group`` answered: choices with ``answer``, texts with words."""
    return {q.id: (answer if q.answer_type == "choice" else "Some words, with a comma")
            for q in iter_questions(for_group(instrument, group))}


def run(review, path, **kwargs):
    return import_field_submissions(review, path, name=path.name, **kwargs)


# --- the fixture: an ODK Central CSV --------------------------------------------------------

def test_an_odk_central_csv_is_imported(cast, consultation):
    summary = run(cast.xa_review, DATA / "central_police.csv")
    assert (summary.imported, summary.skipped, summary.rejected) == (3, [], [])
    assert summary.groups == {"police": 3}
    first = Response.objects.get(instance_id="uuid:0b7e5a5e-3c1d-4a8e-9f11-000000000001")
    assert (first.consultation, first.group, first.source, first.language) == (
        consultation, "police", "field", "en")
    assert first.submitted_at == datetime(2026, 3, 2, 9, 15, 4, 512000, tzinfo=UTC)
    answers = {a.item_id: (a.answer, a.text) for a in first.answers.all()}
    assert answers == {"SYS-REG-01": ("yes", ""), "SYS-REG-02": ("partly", ""),
                       "SYS-REG-06": ("", "Mostly paperwork, sometimes a phone call"),
                       "PRV-CJE-01": ("dont_know", "")}
    third = Response.objects.get(instance_id="uuid:0b7e5a5e-3c1d-4a8e-9f11-000000000003")
    assert third.submitted_at is not None  # "not a date": the time of the import
    assert third.answers.get(item_id="SYS-REG-06").text == 'Ja, ganz "einfach", mit Komma'
    audit = AuditEvent.objects.get(object_type="consultation")
    assert (audit.action, audit.after["imported"]) == ("import", 3)
    # no count per group in the history, which every reader sees: a small group would show
    assert "groups" not in audit.after


def test_importing_twice_adds_nothing(cast, consultation):
    run(cast.xa_review, DATA / "central_police.csv")
    before = counts()
    again = run(cast.xa_review, DATA / "central_police.csv")
    assert again.imported == 0
    assert sorted(again.skipped) == [f"uuid:0b7e5a5e-3c1d-4a8e-9f11-00000000000{i}"
                                     for i in (1, 2, 3)]
    assert counts() == before


def test_device_submitter_and_location_columns_are_never_stored(cast, consultation,
                                                                 instrument, tmp_path):
    run(cast.xa_review, DATA / "central_police.csv")
    header, rows = export(instrument, [("uuid:k-1", "police", full(instrument, "police"))],
                          style="kobo")
    run(cast.xa_review, write_xlsx(tmp_path / "kobo.xlsx", header, rows))
    stored = [str(v) for r in Response.objects.values() for v in r.values()]
    stored += [str(v) for a in ResponseAnswer.objects.values() for v in a.values()]
    stored += [str(e.after) for e in AuditEvent.objects.all()]
    for private in [*PRIVATE, "48.2", "Field team"]:
        assert not any(private in s for s in stored), private


# --- the formats -----------------------------------------------------------------------------

def test_a_kobo_xlsx_with_slash_paths_and_uuid(cast, consultation, instrument, tmp_path):
    submissions = [(f"uuid:{uuid.uuid4()}", "police", full(instrument, "police", "no")),
                   (f"uuid:{uuid.uuid4()}", "health", full(instrument, "health", "partly"))]
    header, rows = export(instrument, submissions, style="kobo")
    assert "SYS_REG/SYS_REG_01" in header and "_uuid" in header
    summary = run(cast.xa_review, write_xlsx(tmp_path / "kobo.xlsx", header, rows))
    assert (summary.imported, summary.rejected) == (2, [])
    assert summary.groups == {"police": 1, "health": 1}
    health = Response.objects.get(group="health")
    assert health.instance_id == submissions[1][0]  # _uuid is given ODK's "uuid:" prefix
    assert health.answers.count() == len(full(instrument, "health"))
    assert health.answers.get(item_id="CLI-EXP-01").answer == "partly"
    assert health.submitted_at == datetime(2026, 3, 2, 9, 15, 4, tzinfo=UTC)


def test_kobo_s_uuid_alone_names_the_same_submission(cast, consultation, instrument,
                                                      tmp_path):
    ident = str(uuid.uuid4())
    header, rows = export(instrument, [(f"uuid:{ident}", "police", {"SYS-REG-01": "yes"})],
                          style="kobo")
    run(cast.xa_review, write_xlsx(tmp_path / "a.xlsx", header, rows))
    at = header.index("meta/instanceID")
    del header[at]
    for row in rows:
        del row[at]
    again = run(cast.xa_review, write_csv(tmp_path / "b.csv", header, rows))
    assert (again.imported, again.skipped) == (0, [f"uuid:{ident}"])


def test_plain_headers(cast, consultation, instrument, tmp_path):
    header, rows = export(instrument, [("uuid:p-1", "judges", full(instrument, "judges"))],
                          style="plain")
    assert "SYS_REG_01" in header and "instanceID" in header
    summary = run(cast.xa_review, write_csv(tmp_path / "plain.csv", header, rows))
    assert summary.imported == 1
    assert Response.objects.get().group == "judges"


def test_central_key_alone_identifies_a_submission(cast, consultation, instrument, tmp_path):
    header, rows = export(instrument, [("uuid:c-1", "police", {"SYS-REG-01": "no"})])
    at = header.index("meta-instanceID")
    del header[at]
    for row in rows:
        del row[at]
    assert run(cast.xa_review, write_csv(tmp_path / "k.csv", header, rows)).imported == 1
    assert Response.objects.get().instance_id == "uuid:c-1"


@pytest.mark.parametrize(("delimiter", "encoding"), [
    (",", "utf-8-sig"), (";", "utf-8"), (";", "utf-8-sig"), ("\t", "utf-8")])
def test_bom_and_semicolon_csv(cast, consultation, instrument, tmp_path, delimiter, encoding):
    answers = {"SYS-REG-01": "yes", "SYS-REG-06": "Ça marche; à peu près, oui"}
    header, rows = export(instrument, [("uuid:b-1", "police", answers)])
    path = write_csv(tmp_path / "bom.csv", header, rows, delimiter=delimiter,
                     encoding=encoding)
    summary = run(cast.xa_review, path)
    assert (summary.imported, summary.rejected) == (1, [])
    assert ResponseAnswer.objects.get(item_id="SYS-REG-06").text == answers["SYS-REG-06"]


def test_kobo_labels_are_accepted_in_english_and_translations(cast, consultation, instrument,
                                                              tmp_path):
    answers = {"SYS-REG-01": "Yes", "SYS-REG-02": "Don’t know", "SYS-REG-03": "Préfère ne "
               "pas répondre", "SYS-REG-04": "teilweise", "SYS-REG-05": " NOT_APPLICABLE "}
    header, rows = export(instrument, [("uuid:l-1", "police", answers)], style="kobo")
    summary = run(cast.xa_review, write_xlsx(tmp_path / "labels.xlsx", header, rows))
    assert summary.rejected == []
    stored = dict(ResponseAnswer.objects.values_list("item_id", "answer"))
    assert stored == {"SYS-REG-01": "yes", "SYS-REG-02": "dont_know",
                      "SYS-REG-03": "prefer_not_to_say", "SYS-REG-04": "partly",
                      "SYS-REG-05": "not_applicable"}


def test_blank_lines_and_unknown_columns_are_ignored(cast, consultation, instrument,
                                                     tmp_path):
    header, rows = export(instrument, [("uuid:u-1", "police", {"SYS-REG-01": "yes"})],
                          extra={"Status": "", "ReviewState": "approved", "start": "x"})
    rows.insert(0, [""] * len(header))
    assert run(cast.xa_review, write_csv(tmp_path / "u.csv", header, rows)).imported == 1


def test_the_form_language_is_kept(cast, consultation, instrument, tmp_path):
    header, rows = export(instrument, [("uuid:f-1", "police", {"SYS-REG-01": "yes"})],
                          extra={"form_language": "fr"})
    run(cast.xa_review, write_csv(tmp_path / "fr.csv", header, rows))
    assert Response.objects.get().language == "fr"


# --- all or nothing ----------------------------------------------------------------------------

def rejected_lines(summary):
    return [str(r) for r in summary.rejected]


def test_a_bad_answer_names_file_row_and_column_and_nothing_is_written(cast, consultation,
                                                                         instrument, tmp_path):
    run(cast.xa_review, DATA / "central_police.csv")
    before = counts()
    header, rows = export(instrument, [
        ("uuid:r-1", "police", {"SYS-REG-01": "yes"}),
        ("uuid:r-2", "police", {"SYS-REG-01": "maybe"}),
        ("uuid:r-3", "police", {"SYS-REG-02": "no"})])
    summary = run(cast.xa_review, write_csv(tmp_path / "bad.csv", header, rows))
    assert summary.imported == 0 and summary.rejected_rows == 1
    assert rejected_lines(summary) == [
        "bad.csv, row 3, column SYS_REG-SYS_REG_01: 'maybe' is not an answer (one of: yes, "
        "partly, no, dont_know, not_applicable, prefer_not_to_say)"]
    assert counts() == before


def test_a_wrong_consultation_is_rejected(cast, consultation, instrument, tmp_path):
    other = Consultation.objects.create(review=cast.xb_review, languages=["en"])
    header, rows = export(instrument, [("uuid:w-1", "police", {"SYS-REG-01": "yes"})],
                          consultation_id=other.public_id)
    rows += export(instrument, [("uuid:w-2", "police", {"SYS-REG-01": "yes"})],
                   consultation_id="not-a-uuid")[1]
    rows += export(instrument, [("uuid:w-3", "police", {"SYS-REG-01": "yes"})])[1]
    before = counts()
    summary = run(cast.xa_review, write_csv(tmp_path / "other.csv", header, rows))
    assert summary.rejected_rows == 2
    assert rejected_lines(summary) == [
        f"other.csv, row 2, column consultation_id: {other.public_id} is not a consultation "
        "of XA-2026: these submissions were collected for another consultation",
        "other.csv, row 3, column consultation_id: 'not-a-uuid' is not a consultation id"]
    assert counts() == before


def test_a_pinned_consultation_rejects_the_review_s_others(cast, consultation, instrument,
                                                           tmp_path):
    newer = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    header, rows = export(instrument, [("uuid:n-1", "police", {"SYS-REG-01": "yes"})])
    summary = run(cast.xa_review, write_csv(tmp_path / "p.csv", header, rows),
                  consultation=newer)
    assert "is another consultation of XA-2026" in rejected_lines(summary)[0]
    assert run(cast.xa_review, tmp_path / "p.csv", consultation=consultation).imported == 1


def test_group_mismatches_are_rejected(cast, consultation, instrument, tmp_path):
    header, rows = export(instrument, [
        ("uuid:g-1", "police", full(instrument, "police")),
        ("uuid:g-2", "prison", {"SYS-REG-01": "yes"}),  # no link: not consulted
        ("uuid:g-3", "health", full(instrument, "health"))])
    police = header.index("stakeholder_group")
    rows[2][police] = "police"  # a health submission that says it is police's
    before = counts()
    summary = run(cast.xa_review, write_csv(tmp_path / "groups.csv", header, rows))
    assert summary.rejected_rows == 2
    lines = rejected_lines(summary)
    assert lines[0] == ("groups.csv, row 3, column stakeholder_group: 'prison' is not a "
                        "stakeholder group of this consultation (its groups: health, judges, "
                        "police)")
    assert "groups.csv, row 4, column CLI_EXP-CLI_EXP_01: question CLI-EXP-01 is not asked " \
           "of police" in lines
    assert all(line.startswith("groups.csv, row 4") for line in lines[1:])
    assert counts() == before


def test_a_form_of_another_instrument_version_is_rejected(cast, consultation, instrument,
                                                          tmp_path):
    header, rows = export(instrument, [("uuid:v-1", "police", {"SYS-REG-01": "yes"})])
    rows[0][header.index("instrument_version")] = "2.0"
    summary = run(cast.xa_review, write_csv(tmp_path / "v.csv", header, rows))
    assert "column instrument_version: the form was made for 2.0" in rejected_lines(summary)[0]


def test_blank_and_conflicting_submission_ids(cast, consultation, instrument, tmp_path):
    header, rows = export(instrument, [
        ("", "police", {"SYS-REG-01": "yes"}),
        ("uuid:d-1", "police", {"SYS-REG-01": "yes"}),
        ("uuid:d-1", "police", {"SYS-REG-01": "yes"}),  # the same row twice: skipped
        ("uuid:d-1", "police", {"SYS-REG-01": "no"})])
    summary = run(cast.xa_review, write_csv(tmp_path / "d.csv", header, rows))
    assert rejected_lines(summary) == [
        "d.csv, row 2, column KEY: the submission id is blank",
        "d.csv, row 5, column KEY: row 3 has the same submission id with other answers"]
    assert Response.objects.count() == 0


def test_texts_that_cannot_be_saved_are_rejected(cast, consultation, instrument, tmp_path):
    header, rows = export(instrument, [
        ("uuid:t-1", "police", {"SYS-REG-06": "nul \x00 byte"}),
        ("uuid:t-2", "police", {"SYS-REG-06": "x" * 5001}),
        ("uuid:t-3", "police", {"SYS-REG-06": "x" * 5000})])
    summary = run(cast.xa_review, write_csv(tmp_path / "t.csv", header, rows))
    assert rejected_lines(summary) == [
        "t.csv, row 2, column SYS_REG-SYS_REG_06: the answer contains a character that "
        "cannot be saved",
        "t.csv, row 3, column SYS_REG-SYS_REG_06: the answer has 5001 characters: at most "
        "5000 can be saved"]
    assert counts() == (0, 0, 0)


def test_files_that_are_not_exports_fail_whole(cast, consultation, tmp_path):
    cases = {
        "empty.csv": b"",
        "nometa.csv": b"SYS_REG_01,stakeholder_group,consultation_id\nyes,police,x\n",
        "labels.csv": b"KEY,stakeholder_group,consultation_id,Is there a law?\nuuid:1,police,"
                      + str(CID).encode() + b",Yes\n",
        "latin1.csv": "KEY,SYS_REG_01,stakeholder_group,consultation_id\nuuid:1,Ça,police,x\n"
                      .encode("latin-1"),
        "broken.xlsx": b"PK\x03\x04 not really a zip",
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    }
    expected = {
        "empty.csv": "empty.csv, row 1: the file is empty",
        "nometa.csv": "nometa.csv, row 1: no submission id column",
        "labels.csv": "labels.csv, row 1: no column holds a question",
        "latin1.csv": "latin1.csv: this file is not UTF-8",
        "broken.xlsx": "broken.xlsx: this is not a readable Excel workbook",
        "old.xls": "old.xls: this is neither a CSV file nor an Excel workbook",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(FieldImportFailed) as failed:
            run(cast.xa_review, tmp_path / name)
        assert str(failed.value.problems[0]).startswith(expected[name]), name
    assert counts() == (0, 0, 0)


def test_a_workbook_whose_sheet_breaks_off_fails_whole_naming_the_sheet(
        cast, consultation, instrument, tmp_path):
    # openpyxl reads a sheet only as its rows are asked for: the zip opens, a row fails.
    header, rows = export(instrument, [("uuid:b-1", "police", full(instrument, "police"))])
    good = write_xlsx(tmp_path / "good.xlsx", header, rows)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</row>", b"</rw>", 1)
            target.writestr(info, content)
    with pytest.raises(FieldImportFailed) as failed:
        run(cast.xa_review, broken)
    assert [str(p) for p in failed.value.problems] == [
        "broken.xlsx: this is not a readable Excel workbook (.xlsx): sheet acs_7d1f3c2a_police "
        "is broken near row 1; export the submissions again"]
    assert counts() == (0, 0, 0)


def test_a_final_review_takes_no_import(cast, consultation):
    review = cast.xa_review
    review.status = "final"
    review.save()
    with pytest.raises(FieldImportFailed, match="XA-2026 is final"):
        run(review, DATA / "central_police.csv")


# --- the command line -------------------------------------------------------------------------

def test_cli_import_then_again(cli, consultation):
    result = cli("consultation", "import", "XA-2026", DATA / "central_police.csv")
    assert result.exit_code == 0, result.output
    assert "3 imported into XA-2026 (police: 3)" in result.output
    again = cli("consultation", "import", "XA-2026", DATA / "central_police.csv")
    assert again.exit_code == 0
    assert "0 imported" in again.output
    assert "3 skipped (already imported): uuid:0b7e5a5e-3c1d-4a8e-9f11-000000000001" in (
        again.output)
    assert Response.objects.count() == 3


def test_cli_rejected_rows_exit_1_and_write_nothing(cli, consultation, instrument, tmp_path):
    header, rows = export(instrument, [
        ("uuid:x-1", "police", {"SYS-REG-01": "sometimes"}),
        ("uuid:x-2", "police", {"SYS-REG-01": "yes"}),
        ("uuid:x-3", "martians", {"SYS-REG-01": "yes"})])
    path = write_csv(tmp_path / "bad.csv", header, rows)
    result = cli("consultation", "import", "XA-2026", path)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"{path}, row 2, column SYS_REG-SYS_REG_01: 'sometimes'")
    assert lines[1].startswith(f"{path}, row 4, column stakeholder_group: 'martians'")
    assert lines[-1] == "error: 2 row(s) rejected: nothing imported"
    assert counts() == (0, 0, 0)


def test_cli_errors(cli, cast, consultation, tmp_path):
    missing = cli("consultation", "import", "XA-2026", tmp_path / "nope.csv")
    assert missing.exit_code == 1 and "no such file" in missing.output
    review = cli("consultation", "import", "XX-2026", DATA / "central_police.csv")
    assert review.exit_code == 1 and "no review 'XX-2026'" in review.output
    (tmp_path / "empty.csv").write_bytes(b"")
    empty = cli("consultation", "import", "XA-2026", tmp_path / "empty.csv")
    assert empty.exit_code == 1
    assert empty.output.strip() == f"error: {tmp_path / 'empty.csv'}, row 1: the file is " \
                                   "empty: it has no header row"
    pinned = cli("consultation", "import", "XA-2026", DATA / "central_police.csv",
                 "--consultation", uuid.uuid4())
    assert pinned.exit_code == 1 and "no such consultation" in pinned.output
    assert counts() == (0, 0, 0)


def test_cli_import_as_someone_is_audited(cli, cast, consultation):
    result = cli("consultation", "import", "XA-2026", DATA / "central_police.csv",
                 "--as", cast.xa_lead.email)
    assert result.exit_code == 0, result.output
    assert AuditEvent.objects.get(object_type="consultation").user == cast.xa_lead


# --- the web ----------------------------------------------------------------------------------

def import_url(review="XA-2026"):
    return reverse("consultations:field_import", args=[review])


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_web_import_shows_the_summary_then_skips(as_user, cast, consultation, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # a temporary file on disk, as big uploads are
    client = as_user(cast.xa_contributor)
    page = client.get(import_url())
    assert page.status_code == 200
    assert reverse("consultations:field_form", args=["XA-2026", consultation.pk, "police"]) in (
        page.content.decode())
    content = (DATA / "central_police.csv").read_bytes()
    response = client.post(import_url(), {"file": upload("central.csv", content)})
    assert response.status_code == 200
    assert "3 responses imported" in response.content.decode()
    assert Response.objects.count() == 3
    again = client.post(import_url(), {"file": upload("central.csv", content)})
    text = again.content.decode()
    assert "0 responses imported" in text and "3 submissions skipped" in text
    assert "uuid:0b7e5a5e-3c1d-4a8e-9f11-000000000002" in text
    assert Response.objects.count() == 3


def test_the_web_import_lists_rejected_rows(as_user, cast, consultation, instrument, tmp_path):
    header, rows = export(instrument, [("uuid:y-1", "police", {"SYS-REG-01": "maybe"})])
    content = write_csv(tmp_path / "bad.csv", header, rows).read_bytes()
    response = as_user(cast.xa_lead).post(import_url(), {"file": upload("bad.csv", content)})
    assert response.status_code == 422
    text = response.content.decode()
    assert "1 row rejected: nothing was imported" in text
    assert "bad.csv, row 2, column SYS_REG-SYS_REG_01: &#x27;maybe&#x27; is not an answer" in (
        text)
    assert counts() == (0, 0, 0)


def test_the_web_import_takes_xlsx(as_user, cast, consultation, instrument, tmp_path):
    header, rows = export(instrument, [("uuid:z-1", "police", {"SYS-REG-01": "no"})],
                          style="kobo")
    content = write_xlsx(tmp_path / "kobo.xlsx", header, rows).read_bytes()
    response = as_user(cast.xa_lead).post(import_url(), {"file": SimpleUploadedFile(
        "kobo.xlsx", content)})
    assert response.status_code == 200
    assert Response.objects.get().answers.get().answer == "no"


def test_the_web_import_refuses_big_and_foreign_files(as_user, cast, consultation,
                                                      monkeypatch):
    from acsreview.web.consultations.views import field

    client = as_user(cast.xa_lead)
    odt = client.post(import_url(), {"file": upload("answers.ods", b"PK\x03\x04")})
    assert odt.status_code == 422 and ".csv or .xlsx" in odt.content.decode()
    monkeypatch.setattr(field, "MAX_BYTES", 100)
    big = client.post(import_url(), {"file": upload("big.csv", b"x" * 101)})
    assert big.status_code == 422 and "The file is 0.0 MB" in big.content.decode()
    assert counts() == (0, 0, 0)


def test_the_web_import_needs_edit(client, as_user, cast, consultation):
    content = (DATA / "central_police.csv").read_bytes()
    assert client.get(import_url()).status_code == 302
    assert as_user(cast.outsider).get(import_url()).status_code == 404
    other = Consultation.objects.create(review=cast.xb_review, languages=["en"])
    assert other.pk
    assert as_user(cast.xb_viewer).get(import_url("XB-2026")).status_code == 403
    assert as_user(cast.xb_viewer).post(import_url("XB-2026"), {
        "file": upload("c.csv", content)}).status_code == 403
    review = cast.xa_review
    review.status = "final"
    review.save()
    assert as_user(cast.xa_lead).get(import_url()).status_code == 403
    assert Response.objects.count() == 0


def test_web_upload_file_object_is_read_as_uploaded(cast, consultation):
    content = (DATA / "central_police.csv").read_bytes()
    summary = import_field_submissions(cast.xa_review, BytesIO(content), name="upload.csv")
    assert summary.imported == 3
