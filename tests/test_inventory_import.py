"""The inventory workbook: the template, the importer the web and the command line share.

All or nothing: any problem, and the database is left exactly as it was.
"""

import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from acsreview.web.reviews.models import (
    AuditEvent,
    ContextIndicator,
    Measure,
    MeasureStat,
    Status,
)
from acsreview.web.reviews.services import inventory_import

pytestmark = pytest.mark.django_db

MEASURES = [
    ["Drug treatment order", "drug_treatment_order", "sentencing", "Penal Code s. 42",
     "Possession", "All drugs", "None violent", "Outpatient treatment", "Nationwide",
     "Probation", "Ministry of Health", None],
    ["Arrest referral", "treatment", "police_arrest", None, None, None, None, None,
     "Capital region", "NGO", "City", "pilot"],
]
STATISTICS = [
    ["Drug treatment order", 2023, 400, 120, 100, 70, 12, "Ministry of Justice"],
    ["Drug treatment order", 2024, 410, 130, None, None, None, "Ministry of Justice"],
    ["Arrest referral", 2024, None, 55, 40, 30, None, None],
]
INDICATORS = [
    [2024, "prison_population", 8123, "SPACE I 2024"],
    [2024, "occupancy_rate", None, "SPACE I 2024"],
    [2023, "drug_prisoner_share", 17.5, "National statistics"],
]


@pytest.fixture
def template(cli, tmp_path):
    path = tmp_path / "template.xlsx"
    result = cli("inventory", "template", "-o", path)
    assert result.exit_code == 0, result.stderr
    return path


def fill(template_path, out, measures=(), statistics=(), indicators=()):
    wb = load_workbook(template_path)
    for sheet, rows in (("measures", measures), ("statistics", statistics),
                        ("indicators", indicators)):
        for row in rows:
            wb[sheet].append(list(row))
    wb.save(out)
    return out


@pytest.fixture
def filled(template, tmp_path):
    return fill(template, tmp_path / "filled.xlsx", MEASURES, STATISTICS, INDICATORS)


def counts():
    return (Measure.objects.count(), MeasureStat.objects.count(),
            ContextIndicator.objects.count(), AuditEvent.objects.count())


# --- the template --------------------------------------------------------------------------

def test_the_template_has_its_sheets_columns_dropdowns_and_readme(template, instrument):
    wb = load_workbook(template)
    assert wb.sheetnames[:4] == ["measures", "statistics", "indicators", "README"]
    assert [c.value for c in wb["measures"][1]] == [
        "name", "type", "stage", "legal_basis", "eligible_offences", "eligible_drugs",
        "eligible_prior_record", "rehabilitative_element", "geographic_scope",
        "delivered_by", "paid_by", "notes"]
    assert [c.value for c in wb["statistics"][1]] == [
        "measure", "year", "eligible", "referred", "started", "completed", "breached",
        "source"]
    assert [c.value for c in wb["indicators"][1]] == ["year", "indicator", "value", "source"]
    for sheet in ("measures", "statistics", "indicators"):
        ws = wb[sheet]
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])

    def dropdown(ws, column):
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list" and any(str(r).startswith(f"{column}2:") for r in dv.sqref.ranges):
                return dv.formula1.strip('"').split(",")
        raise AssertionError(f"no dropdown in {ws.title} column {column}")

    assert dropdown(wb["measures"], "B") == [t.id for t in instrument.measure_types]
    assert dropdown(wb["measures"], "C") == [s.id for s in instrument.cjs_stages]
    assert dropdown(wb["indicators"], "B") == [
        "prison_population", "occupancy_rate", "drug_law_offences", "drug_prisoner_share"]
    readme = [tuple(r) for r in wb["README"].iter_rows(values_only=True)]
    explained = {(r[0], r[1]) for r in readme if r[1]}
    for sheet in ("measures", "statistics", "indicators"):
        for column in (c.value for c in wb[sheet][1]):
            assert (sheet, column) in explained
    assert any("never write 0 for not known" in (r[0] or "") for r in readme)


def test_the_template_needs_an_xlsx_name(cli, tmp_path):
    result = cli("inventory", "template", "-o", tmp_path / "t.csv")
    assert result.exit_code == 1 and ".xlsx" in result.stderr


# --- importing -----------------------------------------------------------------------------

def test_a_filled_template_imports_and_blank_stays_not_known(cast, cli, filled):
    review = cast.xa_review
    result = cli("inventory", "import", review.slug, filled)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert ("measures: 2 created, 0 updated, 0 unchanged; statistics: 3 created, 0 updated, "
            "0 unchanged; indicators: 3 created, 0 updated, 0 unchanged") in result.stdout

    dto = review.measures.get(name="Drug treatment order")
    assert (dto.measure_type, dto.stage, dto.legal_basis, dto.notes, dto.version) == (
        "drug_treatment_order", "sentencing", "Penal Code s. 42", "", 1)
    stats = {s.year: s for s in dto.stats.all()}
    assert (stats[2023].eligible, stats[2023].breached) == (400, 12)
    assert (stats[2024].referred, stats[2024].started, stats[2024].completed,
            stats[2024].breached) == (130, None, None, None)
    referral = review.measures.get(name="Arrest referral").stats.get()
    assert referral.eligible is None and referral.source == ""
    values = {(i.indicator, i.year): i.value for i in review.indicators.all()}
    assert values == {("prison_population", 2024): Decimal("8123"),
                      ("occupancy_rate", 2024): None,
                      ("drug_prisoner_share", 2023): Decimal("17.50")}
    assert AuditEvent.objects.filter(review=review, action="create").count() == 8
    assert not cast.xb_review.measures.exists()


def test_importing_again_updates_and_never_duplicates(cast, cli, filled, template, tmp_path):
    review = cast.xa_review
    assert cli("inventory", "import", review.slug, filled).exit_code == 0
    before = counts()
    again = cli("inventory", "import", review.slug, filled)
    assert again.exit_code == 0
    assert "measures: 0 created, 0 updated, 2 unchanged" in again.stdout
    assert counts() == before  # no new rows, and no audit event for what did not change

    changed_stats = [list(r) for r in STATISTICS]
    changed_stats[1][4] = 90  # started becomes known
    changed_measures = [list(r) for r in MEASURES]
    changed_measures[1][8] = "Two regions"
    second = fill(template, tmp_path / "second.xlsx", changed_measures, changed_stats,
                  INDICATORS)
    result = cli("inventory", "import", review.slug, second, "--as", cast.xa_lead.email)
    assert result.exit_code == 0
    assert "measures: 0 created, 1 updated, 1 unchanged" in result.stdout
    assert "statistics: 0 created, 1 updated, 2 unchanged" in result.stdout
    assert counts()[:3] == before[:3]
    referral = review.measures.get(name="Arrest referral")
    assert referral.geographic_scope == "Two regions" and referral.version == 2
    assert referral.updated_by == cast.xa_lead
    assert MeasureStat.objects.get(measure__name="Drug treatment order", year=2024).started == 90
    updates = AuditEvent.objects.filter(review=review, action="update")
    assert updates.count() == 2 and {e.user for e in updates} == {cast.xa_lead}
    assert updates.get(object_type="measure_stat").after == {"started": 90}


def test_statistics_may_name_a_measure_already_in_the_review(cast, cli, template, tmp_path):
    measure = Measure.objects.create(review=cast.xa_review, name="Old measure",
                                     measure_type="treatment", stage="prosecution",
                                     carried_over=True)
    path = fill(template, tmp_path / "s.xlsx",
                statistics=[["Old measure", 2025, 3, None, None, None, None, "x"]])
    assert cli("inventory", "import", cast.xa_review.slug, path).exit_code == 0
    assert measure.stats.get().eligible == 3
    measure.refresh_from_db()
    assert measure.carried_over  # its own fields did not change


def test_every_problem_is_reported_and_nothing_is_written(cast, cli, template, tmp_path):
    Measure.objects.create(review=cast.xa_review, name="Kept", measure_type="treatment",
                           stage="prosecution")
    before = counts()
    path = fill(
        template, tmp_path / "bad.xlsx",
        measures=[
            ["Good one", "treatment", "sentencing"],                      # row 2
            ["Bad type", "flogging", "sentencing"],                       # row 3
            ["Bad stage", "treatment", "heaven"],                         # row 4
            ["Good one", "education", "prosecution"],                     # row 5
            [None, "education", "prosecution", "a basis"],                # row 6
        ],
        statistics=[
            ["Good one", 2024, 10, 5, 4, 3, 1, "s"],                      # row 2
            ["Good one", 2024, 10, 5, 4, 3, 1, "s"],                      # row 3
            ["Nowhere", 2024, 1, 1, 1, 1, 1, "s"],                        # row 4
            ["Good one", 1980, 1, 1, 1, 1, 1, "s"],                       # row 5
            ["Good one", 2020, -1, "n/a", 4, 3, 1, "s"],                  # row 6
            ["Good one", 2021, 10, 5, 4, "twelve", 1, "s"],               # row 7
            ["Good one", 2022, 10, 5, 6, 7, 9, "s"],                      # row 8
            ["Kept", 2023, 1.5, None, None, None, None, "s"],             # row 9
        ],
        indicators=[
            [2024, "gdp", 1, "s"],                                        # row 2
            [2024, "prison_population", 100, None],                       # row 3
            [2024, "drug_prisoner_share", 140, "s"],                      # row 4
            [2023, "occupancy_rate", 101, "s"],                           # row 5
            [2023, "occupancy_rate", 102, "s"],                           # row 6
            ["twenty", "occupancy_rate", "high", "s"],                    # row 7
        ])
    result = cli("inventory", "import", cast.xa_review.slug, path)
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: 20 problem(s): nothing imported"
    lines = result.stdout.strip().splitlines()
    expected = [
        "measures row 3, column type: 'flogging' is not a measure type of the instrument",
        "measures row 4, column stage: 'heaven' is not a stage of the instrument",
        "measures row 5, column name: 'Good one' is already on row 2",
        "measures row 6, column name: the measure needs a name",
        "statistics row 3, column year: Good one already has figures for 2024 on row 2",
        "statistics row 4, column measure: no measure named 'Nowhere'",
        "statistics row 5, column year: '1980' is not a year between 1990 and 2100",
        "statistics row 6, column eligible: '-1' is negative",
        "statistics row 6, column referred: 'n/a' is not a whole number",
        "statistics row 7, column completed: 'twelve' is not a whole number",
        "statistics row 8, column started: started (6) is more than referred (5)",
        "statistics row 8, column completed: completed (7) is more than started (6)",
        "statistics row 8, column breached: breached (9) is more than started (6)",
        "statistics row 9, column eligible: '1.5' is not a whole number",
        "indicators row 2, column indicator: 'gdp' is not an indicator",
        "indicators row 3, column source: say where the value comes from",
        "indicators row 4, column value: '140.00' is a share of prisoners: at most 100",
        "indicators row 6, column year: occupancy_rate for 2023 is already on row 5",
        "indicators row 7, column year: 'twenty' is not a year",
        "indicators row 7, column value: 'high' is not a number",
    ]
    for want in expected:
        assert any(line.startswith(want) for line in lines), want
    assert len(lines) == len(expected)
    assert counts() == before


def test_a_missing_column_is_named(cast, cli, tmp_path):
    wb = Workbook()
    wb.active.title = "statistics"
    wb.active.append(["measure", "year", "eligible", "referred", "started", "breached"])
    wb.active.append(["X", 2024, 1, 1, 1, 1])
    wb.save(tmp_path / "cols.xlsx")
    result = cli("inventory", "import", cast.xa_review.slug, tmp_path / "cols.xlsx")
    assert result.exit_code == 1
    assert "statistics row 1, column completed: this column is missing" in result.stdout
    assert "statistics row 1, column source: this column is missing" in result.stdout
    assert counts() == (0, 0, 0, 0)


def test_a_sheet_over_the_row_limit_is_refused(cast, cli, template, tmp_path, monkeypatch):
    monkeypatch.setattr(inventory_import, "MAX_ROWS", 5)
    rows = [["M", "treatment", "sentencing"]] + [
        ["M", year, 1, 1, 1, 1, 1, "s"] for year in range(2000, 2006)]
    path = fill(template, tmp_path / "big.xlsx", measures=rows[:1], statistics=rows[1:])
    result = cli("inventory", "import", cast.xa_review.slug, path)
    assert result.exit_code == 1
    assert "statistics: more than 5 rows: split the file" in result.stdout
    assert counts() == (0, 0, 0, 0)


def test_a_file_that_is_not_a_workbook_is_refused(cast, cli, tmp_path):
    csv = tmp_path / "inventory.xlsx"
    csv.write_text("name,type\nX,treatment\n")
    result = cli("inventory", "import", cast.xa_review.slug, csv)
    assert result.exit_code == 1
    assert "file: this is not an Excel workbook (.xlsx)" in result.stdout
    assert counts() == (0, 0, 0, 0)


def test_cli_exit_codes(cast, cli, filled, tmp_path):
    assert cli("inventory", "import", "ZZ-2026", filled).exit_code == 1
    missing = cli("inventory", "import", cast.xa_review.slug, tmp_path / "nope.xlsx")
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    unknown = cli("inventory", "import", cast.xa_review.slug, filled, "--as", "x@example.org")
    assert unknown.exit_code == 1
    assert cli("inventory", "import").exit_code == 2  # a wrong command line
    review = cast.xb_review
    review.status = Status.FINAL
    review.save()
    final = cli("inventory", "import", review.slug, filled)
    assert final.exit_code == 1 and "is final" in final.stdout
    assert counts() == (0, 0, 0, 0)
    assert cli("inventory", "import", cast.xa_review.slug, filled).exit_code == 0


# --- the web upload ------------------------------------------------------------------------

def upload(client, review, name, content):
    return client.post(reverse("reviews:inventory_import", args=[review.slug]),
                       {"file": SimpleUploadedFile(name, content)})


def test_the_web_upload_imports_for_editors_only(cast, as_user, filled):
    content = filled.read_bytes()
    assert upload(as_user(cast.xb_viewer), cast.xb_review, "i.xlsx", content).status_code == 403
    assert upload(as_user(cast.outsider), cast.xa_review, "i.xlsx", content).status_code == 404
    assert counts() == (0, 0, 0, 0)
    c = as_user(cast.xa_contributor)
    page = c.get(reverse("reviews:inventory_import", args=[cast.xa_review.slug]))
    assert page.status_code == 200 and 'for="id_file"' in page.content.decode()
    response = upload(c, cast.xa_review, "i.xlsx", content)
    assert response.status_code == 302
    assert cast.xa_review.measures.count() == 2
    assert AuditEvent.objects.filter(user=cast.xa_contributor, action="create").count() == 8
    html = c.get(response["Location"]).content.decode()
    assert "Imported: measures: 2 created" in html


def test_the_web_upload_lists_every_problem_and_writes_nothing(cast, as_user, template,
                                                               tmp_path):
    path = fill(template, tmp_path / "bad.xlsx",
                statistics=[["Nowhere", 2024, "twelve", None, None, None, None, "s"]])
    response = upload(as_user(cast.xa_lead), cast.xa_review, "bad.xlsx", path.read_bytes())
    assert response.status_code == 422
    html = response.content.decode()
    assert "2 problems: nothing was imported" in html
    assert "statistics row 2, column measure: no measure named" in html
    assert "statistics row 2, column eligible: &#x27;twelve&#x27; is not a whole number" in html
    assert counts() == (0, 0, 0, 0)


def test_the_web_upload_refuses_big_and_foreign_files(cast, as_user):
    c = as_user(cast.xa_lead)
    big = upload(c, cast.xa_review, "big.xlsx", b"PK\x03\x04" + b"0" * (5 * 1024 * 1024))
    assert big.status_code == 422
    assert "at most 5 MB can be uploaded" in big.content.decode()
    csv = upload(c, cast.xa_review, "inventory.csv", b"name,type\nX,treatment\n")
    assert csv.status_code == 422
    html = csv.content.decode()
    assert "This is not an Excel workbook (.xlsx)" in html
    assert 'aria-describedby="id_file_helptext id_file_error"' in html
    renamed = upload(c, cast.xa_review, "inventory.xlsx", b"name,type\nX,treatment\n")
    assert renamed.status_code == 422
    assert "This is not an Excel workbook" in renamed.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_the_downloaded_workbook_holds_the_inventory_and_imports_unchanged(cast, as_user,
                                                                           cli, filled):
    assert cli("inventory", "import", cast.xa_review.slug, filled).exit_code == 0
    before = counts()
    c = as_user(cast.xa_lead)
    response = c.get(reverse("reviews:inventory_template", args=[cast.xa_review.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert wb["measures"].max_row == 3 and wb["statistics"].max_row == 4
    result = upload(c, cast.xa_review, "back.xlsx", response.content)
    assert result.status_code == 302
    assert counts() == before


def test_a_workbook_with_a_broken_sheet_is_refused_naming_the_row(cast, cli, filled, tmp_path):
    # openpyxl reads a sheet only as its rows are asked for: the zip opens, the row fails.
    source = zipfile.ZipFile(filled)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet3.xml":  # indicators
                content = content.replace(b"</row>", b"</rw>", 2)
            target.writestr(info, content)
    result = cli("inventory", "import", cast.xa_review.slug, broken)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert ("indicators: the file is not a readable Excel workbook (.xlsx): this sheet is "
            "broken near row 1; save it again") in result.stdout
    assert counts() == (0, 0, 0, 0)


def test_types_and_stages_may_be_written_as_the_form_shows_them(cast, cli, template, tmp_path):
    """The web form shows labels: a workbook may say them too, in any of the instrument's
    languages and in any case; the ids stay what is stored."""
    path = fill(template, tmp_path / "labels.xlsx", measures=[
        ["Treatment instead of prison", "Treatment", "sentencing", *[None] * 9],
        ["Traitement en police", "traitement", "Police / arrestation", *[None] * 9],
        ["Education course", " EDUCATION ", "Prosecution", *[None] * 9],
    ])
    result = cli("inventory", "import", cast.xa_review.slug, path)
    assert result.exit_code == 0, result.stdout + result.stderr
    got = {m.name: (m.measure_type, m.stage) for m in cast.xa_review.measures.all()}
    assert got == {"Treatment instead of prison": ("treatment", "sentencing"),
                   "Traitement en police": ("treatment", "police_arrest"),
                   "Education course": ("education", "prosecution")}
