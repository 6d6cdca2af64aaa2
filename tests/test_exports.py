"""Exports of reviews: XLSX, CSV, JSON and a Frictionless Data Package."""

import csv
import io
import json
import zipfile

import pytest
from frictionless import validate
from openpyxl import load_workbook

from acsreview.reports.exports import export
from acsreview.web.demo import load_demo
from acsreview.web.reviews.models import Answer, Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()
    return list(Review.objects.select_related("jurisdiction").order_by("jurisdiction__code",
                                                                     "round"))


def hostile(review):
    a = Answer.objects.filter(review=review, item_id="SYS-REG-01").get()
    a.evidence = "=HYPERLINK(\"http://evil.example\",\"click\")"
    a.notes = "-2+3 cmd|' /C calc'!A0"
    a.save()


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_data_package_is_valid_and_says_the_demo_is_synthetic(demo, cli, tmp_path):
    path = tmp_path / "all.zip"
    result = cli("export", "--format", "datapackage", "-o", path)
    assert result.exit_code == 0, result.output
    assert "4 reviews" in result.output
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    with zipfile.ZipFile(path) as zf:
        descriptor = json.loads(zf.read("datapackage.json"))
        names = {r["name"] for r in descriptor["resources"]}
        reviews = list(csv.DictReader(io.StringIO(zf.read("data/reviews.csv").decode())))
    assert "Synthetic demo data" in descriptor["description"]
    assert {"reviews", "answers", "measures", "measure_statistics", "consultation",
            "profile", "recommendations", "actions"} <= names
    assert sorted(r["review"] for r in reviews) == ["XA-2024", "XA-2026", "XB-2026",
                                                    "XC-2026"]
    assert {r["demo"] for r in reviews} == {"true"}


def test_csv_has_a_bom_and_neutralises_formulas(demo, tmp_path):
    xa = next(r for r in demo if r.slug == "XA-2026")
    hostile(xa)
    path = export([xa], "csv", tmp_path / "xa.zip")
    with zipfile.ZipFile(path) as zf:
        answers = read_csv(zf.read("answers.csv"))
        stats = read_csv(zf.read("measure_statistics.csv"))
    row = next(r for r in answers if r["item"] == "SYS-REG-01")
    assert row["evidence"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert row["notes"].startswith("'-2+3")
    # not known is an empty cell, never 0
    assert any(r["eligible"] == "" for r in stats)
    assert all(r["eligible"] != "None" for r in stats)


def test_xlsx_cells_are_typed_and_text_is_never_a_formula(demo, tmp_path):
    xa = next(r for r in demo if r.slug == "XA-2026")
    hostile(xa)
    wb = load_workbook(export([xa], "xlsx", tmp_path / "xa.xlsx"))
    assert {"reviews", "answers", "measures", "measure_statistics", "consultation"} <= set(
        wb.sheetnames)
    answers = wb["answers"]
    header = [c.value for c in answers[1]]
    evidence = header.index("evidence")
    cell = next(r[evidence] for r in answers.iter_rows(min_row=2)
                if r[header.index("item")].value == "SYS-REG-01")
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    stats = wb["measure_statistics"]
    header = [c.value for c in stats[1]]
    years = [r[header.index("year")] for r in stats.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and isinstance(c.value, int) for c in years)
    eligible = [r[header.index("eligible")].value for r in stats.iter_rows(min_row=2)]
    assert None in eligible and all(v is None or isinstance(v, int) for v in eligible)


def test_json_holds_every_table_with_its_fields(demo, tmp_path):
    xb = next(r for r in demo if r.slug == "XB-2026")
    doc = json.loads(export([xb], "json", tmp_path / "xb.json").read_text())
    assert doc["name"] == "acsreview-xb-2026"
    profile = doc["tables"]["profile"]
    assert [f["name"] for f in profile["fields"]][:4] == ["review", "level", "domain",
                                                          "lead_index"]
    assert len(profile["rows"]) == 12  # one per domain
    assert all(0 <= r["lead_index"] <= 100 for r in profile["rows"] if r["lead_index"]
               is not None)


def test_no_small_group_and_no_person_leaves_in_an_export(demo, tmp_path):
    path = export(demo, "json", tmp_path / "all.json")
    text = path.read_text()
    doc = json.loads(text)
    rows = doc["tables"]["consultation"]["rows"]
    assert rows, "the demo has consultation figures"
    # the demo's prison group is under the threshold: never shown apart, only ever
    # inside the merged pool of small groups (and the overall figure) when that pool is shown
    assert not any(r["unit"] == "prison" for r in rows)
    pooled = {(r["review"], r["question"]) for r in rows if r["unit"] == "merged"}
    for r in rows:
        if "prison" in r["members"].split(","):
            assert r["unit"] in {"merged", "overall"}
            assert (r["review"], r["question"]) in pooled
    assert all(r["n"] >= 5 for r in rows)
    assert "@" not in text  # no e-mail address of anyone


def test_a_failed_export_leaves_no_file(demo, tmp_path, monkeypatch):
    from acsreview.reports import exports

    def broken(*args, **kwargs):
        (tmp_path / "partial").write_text("x")
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write", broken)
    with pytest.raises(RuntimeError):
        export(demo[:1], "xlsx", tmp_path / "out.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partial"]


def test_an_unknown_review_is_a_one_line_error(cli, db, tmp_path):
    result = cli("export", "NOPE-2026", "--format", "csv", "-o", tmp_path / "x.zip")
    assert result.exit_code == 1
    assert "no review 'NOPE-2026'" in result.output
    assert not (tmp_path / "x.zip").exists()


def test_the_web_downloads_follow_the_review_permissions(cast, as_user, client):
    xa, xb = cast.xa_review, cast.xb_review
    as_user(cast.xa_lead)
    page = client.get(f"/reviews/{xa.slug}/")
    assert f"/reviews/{xa.slug}/export/datapackage/" in page.content.decode()
    response = client.get(f"/reviews/{xa.slug}/export/xlsx/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="acsreview-{xa.slug}.xlsx"')
    assert response.content[:2] == b"PK"
    assert client.get(f"/reviews/{xb.slug}/export/xlsx/").status_code == 404
    assert client.get(f"/reviews/{xa.slug}/export/exe/").status_code == 404
    doc = json.loads(client.get("/reviews/export/json/").content)
    assert {r["review"] for r in doc["tables"]["reviews"]["rows"]} == {xa.slug}
    as_user(cast.coordinator)
    doc = json.loads(client.get("/reviews/export/json/").content)
    assert {r["review"] for r in doc["tables"]["reviews"]["rows"]} >= {xa.slug, xb.slug}
    client.logout()
    assert client.get(f"/reviews/{xa.slug}/export/json/").status_code == 302
    assert client.get("/reviews/export/json/").status_code == 302


def test_control_characters_do_not_break_a_workbook(demo, tmp_path):
    xa = next(r for r in demo if r.slug == "XA-2026")
    Answer.objects.filter(review=xa, item_id="SYS-REG-01").update(
        evidence="Copied from a PDF:\x0cpage 2\x0b")
    wb = load_workbook(export([xa], "xlsx", tmp_path / "xa.xlsx"))
    answers = wb["answers"]
    header = [c.value for c in answers[1]]
    row = next(r for r in answers.iter_rows(min_row=2)
               if r[header.index("item")].value == "SYS-REG-01")
    assert row[header.index("evidence")].value == "Copied from a PDF:\ufffdpage 2\ufffd"


def test_the_data_package_keeps_values_as_they_are(demo, tmp_path):
    xa = next(r for r in demo if r.slug == "XA-2026")
    Answer.objects.filter(review=xa, item_id="SYS-REG-01").update(evidence="-20% since 2020")
    with zipfile.ZipFile(export([xa], "datapackage", tmp_path / "xa.zip")) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("data/answers.csv").decode("utf-8"))))
    assert next(r for r in rows if r["item"] == "SYS-REG-01")["evidence"] == "-20% since 2020"
