"""`acsreview report`: country and comparative reports as files, HTML or PDF."""

import pytest

from acsreview.web.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def test_a_country_report_as_one_self_contained_html_file_in_french(demo, cli, tmp_path):
    out = tmp_path / "xa.html"
    result = cli("report", "XA-2026", "--format", "html", "--lang", "fr", "-o", out)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "XA-2026, html, fr" in result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "<style>" in html and 'rel="stylesheet"' not in html  # the CSS is inlined
    assert "/static/" not in html  # nothing to fetch: the charts are inline SVG too
    assert "data:image/svg+xml;base64," in html
    assert "examen des alternatives aux sanctions coercitives" in html.lower()


def test_a_country_report_as_pdf(demo, cli, tmp_path):
    out = tmp_path / "xa.pdf"
    result = cli("report", "XA-2026", "--format", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"


def test_a_comparative_report_of_chosen_jurisdictions(demo, cli, tmp_path):
    out = tmp_path / "cmp.html"
    result = cli("report", "--compare", "XA,XB", "--round", "2026", "--format", "html",
                 "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "XA" in html and "XB" in html and "XC-2026" not in html


@pytest.mark.parametrize("args, message", [
    (["NOPE-2026", "--format", "pdf"], "no review 'NOPE-2026'"),
    (["--compare", "XA,QZ", "--round", "2026", "--format", "html"],
     "no review of round 2026 for QZ"),
    (["XA-2026", "--format", "html", "--lang", "xx"], "--lang xx"),
])
def test_bad_input_is_a_one_line_error_and_writes_nothing(demo, cli, tmp_path, args, message):
    out = tmp_path / "out.file"
    result = cli("report", *args, "-o", out)
    assert result.exit_code == 1
    assert message in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["XA-2026", "--compare", "XA", "--round", "2026", "--format", "html"],
    ["--compare", "XA", "--format", "html"],
    ["--format", "html"],
])
def test_a_wrong_command_line_is_a_usage_error(cli, db, tmp_path, args):
    from click.testing import CliRunner

    from acsreview.cli import cli as command

    result = CliRunner().invoke(command, ["report", *args, "-o", str(tmp_path / "x")])
    assert result.exit_code == 2


def test_a_review_is_found_whatever_the_case_and_a_wrong_one_lists_those_there(demo, cli,
                                                                                tmp_path):
    out = tmp_path / "xa.html"
    result = cli("report", "xa-2026", "--format", "html", "-o", out)
    assert result.exit_code == 0 and "XA-2026" in result.output
    wrong = cli("report", "XA-2062", "--format", "html", "-o", out)
    assert wrong.exit_code == 1
    assert "no review 'XA-2062' (reviews here: XA-2024, XA-2026, XB-2026, XC-2026)" in (
        wrong.output)
