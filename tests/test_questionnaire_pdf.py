"""The blank questionnaire of a stakeholder group, printed for workshops."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from acsreview.core.instrument import iter_questions
from acsreview.core.instrument.select import for_group
from acsreview.reports.questionnaire import render_questionnaire

pytestmark = pytest.mark.django_db

URL = reverse("instrument_questionnaire", args=["acs-diagnostic", "1.0"])
ANSWERS = {"en": ["Yes", "Partly", "No", "Don't know", "Not applicable", "Prefer not to say"],
           "fr": ["Oui", "En partie", "Non", "Ne sait pas", "Sans objet",
                  "Préfère ne pas répondre"]}


def words(value: str) -> str:
    return " ".join(value.split())


def pdf_of(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return response, PdfReader(io.BytesIO(response.content))


def ids_in(pdf_text: str) -> set[str]:
    return set(re.findall(r"\b[A-Z]{3}-[A-Z]{3}-\d\d\b", pdf_text))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_police_get_their_questions_only(cast, as_user, instrument, library, lang):
    response, pdf = pdf_of(as_user(cast.xb_viewer), group="police", lang=lang)
    assert ('filename="questionnaire-acs-diagnostic-1.0-police-'
            f'{lang}.pdf"') in response["Content-Disposition"]
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == lang
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert "Police" in pdf.metadata.title
    body = words(" ".join(p.extract_text() for p in pdf.pages))
    police = [q for q in iter_questions(for_group(library.localized(instrument, lang),
                                                  "police"))]
    assert ids_in(body) == {q.id for q in police}  # PRV-HLI-01 (health only) is absent
    assert "PRV-HLI-01" not in body
    assert words(police[0].text) in body
    for label in ANSWERS[lang]:
        assert label in body
    assert re.search(r"\b2 / \d+\b", body)  # page numbers
    if lang == "fr":
        assert "Existe-t-il une législation qui facilite le recours aux ACS ?" in body
        assert "Agents de police" in body  # the group's description, in French


def test_the_questionnaire_holds_the_groups_questions_and_instructions(instrument):
    html = render_questionnaire(instrument, group="participants")
    shown = re.findall(r'<span class="qid">([^<]+)</span>', html)
    assert shown == [q.id for q in iter_questions(for_group(instrument, "participants"))]
    assert '<html lang="en">' in html and "<title>Questionnaire for Participants</title>" in html
    assert "It is anonymous: do not write your name" in html
    assert "“Don't know” and “Not applicable” are answers too" in words(html.replace(
        "&#x27;", "'"))
    open_items = [q for q in iter_questions(for_group(instrument, "participants"))
                  if q.answer_type == "text"]
    assert html.count('<div class="lines"') == len(open_items) > 0
    assert html.count('<ul class="options">') == len(shown) - len(open_items)


def test_an_unknown_group_or_language_is_refused(cast, as_user, instrument):
    client = as_user(cast.xb_viewer)
    assert client.get(URL, {"group": "astronauts", "lang": "en"}).status_code == 404
    assert client.get(URL, {"group": "police", "lang": "pt"}).status_code == 404
    assert client.get(URL, {"lang": "en"}).status_code == 404
    other = reverse("instrument_questionnaire", args=["acs-diagnostic", "9.9"])
    assert client.get(other, {"group": "police"}).status_code == 404
    with pytest.raises(LookupError, match="one of: .*police"):
        render_questionnaire(instrument, group="astronauts")
    with pytest.raises(LookupError, match="one of: en, de, fr"):
        render_questionnaire(instrument, group="police", lang="pt")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL, {"group": "police", "lang": "en"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(reverse("instrument", args=["acs-diagnostic", "1.0"])).content.decode()
    assert "Blank questionnaire for a workshop" in page
    assert f'action="{URL}"' not in page and "to download it." in page


def test_the_instrument_page_offers_it_to_signed_in_users(cast, as_user):
    page = as_user(cast.xb_viewer).get(
        reverse("instrument", args=["acs-diagnostic", "1.0"])).content.decode()
    assert f'action="{URL}"' in page
    assert '<option value="police">Police</option>' in page
    assert '<option value="fr" lang="fr">français</option>' in page
