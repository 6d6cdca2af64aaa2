"""The field forms of a consultation: XLSForms for ODK Collect and KoboToolbox that ODK's own
converter accepts, tied to the consultation and asking a group its own questions only."""

import uuid
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from acsreview.core.instrument import iter_questions
from acsreview.core.instrument.select import field_name, for_group
from acsreview.web.consultations.models import Consultation, Link
from acsreview.web.consultations.services.field_forms import build_field_form, form_id

pytestmark = pytest.mark.django_db

GROUPS = ["police", "prosecutors", "judges", "probation", "prison", "health", "social",
          "participants", "ngo"]


@pytest.fixture
def consultation(cast):
    c = Consultation.objects.create(review=cast.xa_review, languages=["en", "fr"])
    for group in GROUPS:
        Link.objects.create(consultation=c, group=group)
    return c


def sheet(source, name):
    rows = [list(r) for r in load_workbook(source, read_only=True)[name].iter_rows(
        values_only=True)]
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def questions(source):
    return [r["name"] for r in sheet(source, "survey")
            if (r["type"] or "").startswith(("select_one", "text"))]


def calculations(source):
    return {r["name"]: r["calculation"] for r in sheet(source, "survey")
            if r["type"] == "calculate"}


@pytest.mark.parametrize("group", GROUPS)
def test_every_group_s_form_converts_with_pyxform(tmp_path, cli, consultation, group):
    out = tmp_path / f"{group}.xlsx"
    result = cli("consultation", "form", "XA-2026", "--group", group, "-o", out)
    assert result.exit_code == 0, result.output
    warnings = []
    xform = convert(xlsform=str(out), warnings=warnings).xform
    assert not warnings, warnings
    assert f'id="{form_id(consultation, group)}"' in xform
    assert "consultation_id" in xform and str(consultation.public_id) in xform


def test_the_form_carries_the_consultation_group_and_a_unique_form_id(tmp_path, cli,
                                                                      consultation, library,
                                                                      instrument):
    out = tmp_path / "police.xlsx"
    assert cli("consultation", "form", "XA-2026", "--group", "police", "-o", out).exit_code == 0
    calc = calculations(out)
    assert calc["consultation_id"] == f"'{consultation.public_id}'"
    assert calc["stakeholder_group"] == "'police'"
    assert calc["instrument_id"] == "'acs-diagnostic'"
    assert calc["instrument_version"] == "'1.0'"
    assert calc["form_language"] == "''"  # two languages: the respondent chooses
    settings = sheet(out, "settings")[0]
    assert settings["form_id"] == f"acs_{consultation.public_id.hex[:8]}_police"
    assert settings["version"] == instrument.version
    assert settings["form_title"] == "ACS review XA-2026: Police"
    header = load_workbook(out, read_only=True)["survey"]
    labels = [c for c in next(header.iter_rows(values_only=True)) if c.startswith("label::")]
    assert labels == ["label::English (en)", "label::French (fr)"]


def test_a_group_s_form_asks_its_questions_only(tmp_path, cli, consultation, instrument):
    for group in ("police", "health"):
        out = tmp_path / f"{group}.xlsx"
        assert cli("consultation", "form", "XA-2026", "--group", group,
                   "-o", out).exit_code == 0
        expected = [field_name(q.id) for q in iter_questions(for_group(instrument, group))]
        assert questions(out) == expected
    assert "CLI_EXP_01" in questions(tmp_path / "health.xlsx")
    assert "CLI_EXP_01" not in questions(tmp_path / "police.xlsx")


def test_lang_gives_one_language_and_names_it(tmp_path, cli, consultation):
    out = tmp_path / "police-fr.xlsx"
    result = cli("consultation", "form", "XA-2026", "--group", "police", "--lang", "fr",
                 "-o", out)
    assert result.exit_code == 0, result.output
    header = next(load_workbook(out, read_only=True)["survey"].iter_rows(values_only=True))
    assert [c for c in header if c.startswith("label::")] == ["label::French (fr)"]
    assert calculations(out)["form_language"] == "'fr'"
    assert sheet(out, "settings")[0]["default_language"] == "French (fr)"
    assert not convert(xlsform=str(out), warnings=[]).xform.count("English")


def test_the_newest_consultation_unless_one_is_named(tmp_path, cli, cast, consultation):
    newer = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    Link.objects.create(consultation=newer, group="police")
    out = tmp_path / "police.xlsx"
    assert cli("consultation", "form", "XA-2026", "--group", "police", "-o", out).exit_code == 0
    assert calculations(out)["consultation_id"] == f"'{newer.public_id}'"
    assert cli("consultation", "form", "XA-2026", "--group", "police", "--consultation",
               consultation.public_id, "-o", out).exit_code == 0
    assert calculations(out)["consultation_id"] == f"'{consultation.public_id}'"


@pytest.mark.parametrize(("args", "message"), [
    (["NO-SUCH", "--group", "police"], "no review 'NO-SUCH'"),
    (["XA-2026", "--group", "martians"], "--group martians:"),
    (["XA-2026", "--group", "police", "--lang", "xx"], "--lang xx: no 'xx' translation"),
    (["XA-2026", "--group", "police", "--consultation", "nope"], "not a consultation id"),
    (["XA-2026", "--group", "police", "--consultation", str(uuid.uuid4())],
     "no such consultation of XA-2026"),
])
def test_bad_form_requests_fail_in_one_line(tmp_path, cli, consultation, args, message):
    out = tmp_path / "form.xlsx"
    result = cli("consultation", "form", *args, "-o", out)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_a_group_without_a_link_gets_no_form(tmp_path, cli, cast):
    c = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    Link.objects.create(consultation=c, group="police")
    result = cli("consultation", "form", "XA-2026", "--group", "judges",
                 "-o", tmp_path / "j.xlsx")
    assert result.exit_code == 1
    assert "'judges' is not a stakeholder group of this consultation" in result.output


def test_a_review_without_consultation_says_so(tmp_path, cli, cast):
    result = cli("consultation", "form", "XA-2026", "--group", "police",
                 "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 1
    assert "XA-2026 has no consultation yet" in result.output


def test_without_a_language_list_every_translation_is_in(library, instrument, cast):
    c = Consultation.objects.create(review=cast.xa_review, languages=[])
    Link.objects.create(consultation=c, group="police")
    survey = build_field_form(library, instrument, c, "police")["survey"]
    header = next(survey.iter_rows(values_only=True))
    assert sum(1 for h in header if h.startswith("label::")) == len(
        library.languages(instrument))


# --- the web download ---------------------------------------------------------------------

def form_url(consultation, group, review="XA-2026"):
    return reverse("consultations:field_form", args=[review, consultation.pk, group])


def test_a_reader_downloads_the_form(as_user, cast, consultation):
    response = as_user(cast.xa_contributor).get(form_url(consultation, "police"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"acs_{consultation.public_id.hex[:8]}_police.xlsx" in (
        response["Content-Disposition"])
    data = BytesIO(response.content)
    assert calculations(data)["consultation_id"] == f"'{consultation.public_id}'"
    assert "CLI_EXP_01" not in questions(BytesIO(response.content))


def test_the_web_form_in_one_language(as_user, cast, consultation):
    response = as_user(cast.xa_lead).get(form_url(consultation, "health") + "?lang=fr")
    assert response.status_code == 200
    assert calculations(BytesIO(response.content))["form_language"] == "'fr'"


def test_the_download_is_refused_to_others(client, as_user, cast, consultation):
    url = form_url(consultation, "police")
    assert client.get(url).status_code == 302  # sign in first
    assert as_user(cast.outsider).get(url).status_code == 404
    assert as_user(cast.xb_viewer).get(url).status_code == 404


def test_unknown_groups_and_foreign_consultations_are_not_found(as_user, cast, consultation):
    client = as_user(cast.coordinator)
    assert client.get(form_url(consultation, "martians")).status_code == 404
    other = Consultation.objects.create(review=cast.xb_review, languages=["en"])
    Link.objects.create(consultation=other, group="police")
    assert client.get(form_url(other, "police")).status_code == 404  # not XA's
    assert client.get(form_url(other, "police", "XB-2026")).status_code == 200
    assert client.get(form_url(consultation, "police") + "?lang=xx").status_code == 404
