"""Stumbles a newcomer met in the demo, each mended and kept mended (issue 9)."""

import datetime as dt
import stat

import pytest
from django.utils import translation
from django.utils.formats import date_format

from acsreview.reports.files import UMASK
from acsreview.web.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def test_reports_and_exports_get_the_permissions_of_any_new_file(demo, cli, tmp_path):
    """Not the 0600 of a temporary file: a report is made to be shared (backups, which
    hold password hashes, stay 0600: tests/test_backup.py)."""
    expected = 0o666 & ~UMASK
    assert expected & 0o400  # the owner can read it, whatever the umask
    report, export = tmp_path / "xa.html", tmp_path / "all.json"
    assert cli("report", "XA-2026", "--format", "html", "-o", report).exit_code == 0
    assert cli("export", "--format", "json", "-o", export).exit_code == 0
    for path in (report, export):
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_long_dates_read_day_month_year_in_every_language():
    day = dt.date(2026, 11, 27)
    expected = {"en": "27 November 2026", "fr": "27 novembre 2026", "de": "27. November 2026"}
    for lang, words in expected.items():
        with translation.override(lang):
            assert date_format(day, "DATE_FORMAT") == words, lang


def test_the_administration_has_the_site_icon(client):
    html = client.get("/admin/login/").content.decode()
    assert 'rel="icon" href="/static/acsreview/favicon.svg"' in html
    assert "<title>Log in | acsreview</title>" in html  # Django's own title, kept


def test_a_citation_that_gives_its_year_does_not_get_it_twice(demo, cli, tmp_path):
    from acsreview.web.reviews.templatetags.citations import with_year

    assert with_year("Institute (2021). Evaluation.", 2021) == "Institute (2021). Evaluation."
    assert with_year("Circular 4 on ACS", 2024) == "Circular 4 on ACS (2024)"
    assert with_year("Circular 4 on ACS", None) == "Circular 4 on ACS"
    out = tmp_path / "xa-2024.html"
    assert cli("report", "XA-2024", "--format", "html", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Evaluation of the drug treatment order (fictional)." in html
    assert "(fictional). (2021)" not in html


def test_a_refused_request_is_logged_in_one_line(cast, as_user):
    """Django logs a 403 with the PermissionDenied's traceback; ours keeps the one line."""
    import io
    import logging

    from acsreview.web.logs import RefusalsInOneLine

    console = [h for h in logging.getLogger().handlers
               if any(isinstance(f, RefusalsInOneLine) for f in h.filters)]
    assert len(console) == 1  # settings.LOGGING puts the filter on the console handler
    stream = io.StringIO()
    old = console[0].setStream(stream)
    try:
        from django.urls import reverse

        response = as_user(cast.xb_viewer).post(
            reverse("reviews:status", args=[cast.xb_review.slug]), {"status": "final"})
    finally:
        console[0].setStream(old)
    assert response.status_code == 403
    logged = stream.getvalue()
    assert "Forbidden (Permission denied): /reviews/XB-2026/status/" in logged
    assert "Traceback" not in logged and len(logged.strip().splitlines()) == 1


def test_notes_for_the_lead_reach_the_lead_and_no_respondent(cast, as_user, tmp_path):
    """A question's `help` is for whoever answers; its `note` is the lead's alone: on the
    diagnostic and the instrument page, never in a field form or a printed questionnaire."""
    import openpyxl

    from acsreview.reports.instrument import FORMATS
    from acsreview.reports.questionnaire import render_questionnaire
    from acsreview.web.instruments import app_library, instrument_of

    library, instrument = app_library(), instrument_of(cast.xa_review)
    questions = {q.id: q for lv in instrument.levels for d in lv.domains for q in d.questions}
    notes = [q.note for q in questions.values() if q.note]
    assert len(notes) == 5 and any("checklist" in n for n in notes)
    help_then_note = questions["PRV-CJE-01"]
    assert help_then_note.help.endswith("who is responsible for what.")
    # to the lead
    domain = as_user(cast.xa_lead).get(f"/reviews/{cast.xa_review.slug}/diagnostic/SYS-REG/")
    assert "For the review team:</strong> The best-practice principles checklist" in (
        domain.content.decode())
    page = as_user(cast.xa_lead).get(f"/instrument/{instrument.id}/{instrument.version}/")
    assert all(n in page.content.decode().replace("&#x27;", "'") for n in notes)
    # never to a respondent: the field forms, the printed questionnaires of every group
    form = tmp_path / "form.xlsx"
    FORMATS["xlsform"](library, instrument, form)
    cells = " ".join(str(c.value) for ws in openpyxl.load_workbook(form).worksheets
                     for row in ws.iter_rows() for c in row if c.value)
    printed = " ".join(render_questionnaire(instrument, group=g.id)
                       for g in instrument.stakeholder_groups).replace("&quot;", '"')
    for given in (cells, printed):
        assert help_then_note.help in given
        assert not [n for n in notes if n in given]


def test_the_language_menu_names_each_language_in_its_own_words(client):
    from django.conf import settings

    for lang in ["en", "fr", "de"]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        html = client.get("/").content.decode()
        assert f'<html lang="{lang}">' in html
        for code, name in [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]:
            assert f'lang="{code}"{" selected" if code == lang else ""}>{name}</option>' in html


def test_the_reviews_list_names_the_instrument_by_its_title(cast, as_user):
    html = as_user(cast.xa_lead).get("/reviews/").content.decode()
    assert "<td>ACS diagnostic tool 1.0</td>" in html and "acs-diagnostic" not in html
