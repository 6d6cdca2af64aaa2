"""Each page for its reader: respondents see no lead's notes and no sign-in; the lead's results
page is grouped by level and domain, with contents, and still shows every figure."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape, strip_tags

from acsreview.core.consultation import MERGED
from acsreview.web.accounts.models import User
from acsreview.web.consultations.models import Consultation, Link
from acsreview.web.consultations.services.responses import survey_of
from acsreview.web.consultations.services.results import review_results
from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo
from acsreview.web.reviews.models import Review

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "de"]
# Words of the lead's side that no respondent should meet (the instrument's `help` of some
# questions points to them), in the survey's languages.
LEAD_WORDS = ["the seed", "checklist", "in the evidence", "Liste de contrôle", "document source",
              "éléments justificatifs", "Checkliste", "Ausgangsdokument", "in den Belegen"]


@pytest.fixture
def demo():
    return load_demo()


def questions_of(library, instrument, lang):
    if lang != "en":
        instrument = library.localized(instrument, lang)
    return [q for lv in instrument.levels for d in lv.domains for q in d.questions]


def lead_notes(library, instrument, lang):
    """The notes of ``instrument`` in ``lang``: written for the review lead alone."""
    return [q.note for q in questions_of(library, instrument, lang) if q.note]


def walk(link, lang="en"):
    """Every page a respondent of ``link`` sees, from the introduction to the thanks."""
    client = Client()
    start = reverse("survey:start", args=[link.token])
    pages = [client.get(start, {"lang": lang})]
    assert client.post(start, {"language": lang}).status_code == 302
    for n in range(1, len(survey_of(link, lang).pages) + 1):
        pages.append(client.get(reverse("survey:page", args=[link.token, n])))
    pages.append(client.get(reverse("survey:review", args=[link.token])))
    pages.append(client.post(reverse("survey:submit", args=[link.token])))
    pages.append(client.get(start))  # "you have already submitted"
    assert all(p.status_code == 200 for p in pages)
    return [p.content.decode() for p in pages]


def assert_for_respondents(html, notes):
    for note in notes:
        assert escape(note) not in html
    text = strip_tags(html).casefold()  # not the random tokens in attributes
    for word in LEAD_WORDS:
        assert word.casefold() not in text
    assert reverse("login") not in html and "Sign in" not in html


def test_no_page_of_the_demo_survey_shows_a_note_for_the_lead(demo, library, instrument):
    notes = lead_notes(library, instrument, "en")
    assert any("The seed" in n for n in notes) and any("checklist" in n for n in notes)
    consultation = Consultation.objects.filter(review__slug="XA-2026").get()
    links = list(consultation.links.all())
    assert len(links) == len(instrument.stakeholder_groups)
    for link in links:
        for html in walk(link):
            assert_for_respondents(html, notes)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_group_meets_a_note_for_the_lead_in_any_language(cast, library, instrument, lang):
    consultation = Consultation.objects.create(review=cast.xa_review, languages=LANGUAGES)
    notes = lead_notes(library, instrument, lang)
    for group in instrument.stakeholder_groups:
        link = Link.objects.create(consultation=consultation, group=group.id)
        for html in walk(link, lang):
            assert_for_respondents(html, notes)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_participants_still_see_the_help_meant_for_them(cast, library, instrument, lang):
    consultation = Consultation.objects.create(review=cast.xa_review, languages=LANGUAGES)
    link = Link.objects.create(consultation=consultation, group="participants")
    shown = "".join(walk(link, lang))
    helps = {q.id: q.help for q in questions_of(library, instrument, lang) if q.help}
    theirs = [item for item in helps if f'name="{item.replace("-", "_")}"' in shown]
    assert sorted(theirs) == ["CLI-ACC-03", "CLI-STG-04", "CLI-STG-05"]
    for item in theirs:
        assert escape(helps[item]) in shown
        assert f'aria-describedby="{item.replace("-", "_")}-help"' in shown


def test_survey_pages_offer_no_sign_in_but_the_rest_of_the_site_does(cast):
    consultation = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    link = Link.objects.create(consultation=consultation, group="police")
    for html in walk(link):
        assert reverse("login") not in html
    link.is_open = False
    link.save()
    closed = Client().get(reverse("survey:start", args=[link.token]))
    assert closed.status_code == 410 and reverse("login") not in closed.content.decode()
    home = Client().get(reverse("home")).content.decode()
    assert f'<a href="{reverse("login")}">Sign in</a>' in home


def results_of_the_demo(client):
    client.force_login(User.objects.get(email=DEMO_LEAD_EMAIL),
                       backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("consultations:results", args=["XA-2026"]))
    assert response.status_code == 200
    return response.content.decode()


def section(html, ident):
    """The HTML of the <section> with id ``ident`` (domain sections hold no sections)."""
    match = re.search(rf'<section id="{ident}"[^>]*>(.*?)</section>', html, re.S)
    assert match, ident
    return match.group(1)


def test_the_results_have_contents_linking_to_every_level_and_domain(demo, client,
                                                                    instrument):
    html = results_of_the_demo(client)
    contents = re.search(r'<nav class="results-contents"[^>]*>(.*?)</nav>', html, re.S)
    assert contents and '<h2 id="contents-heading">Contents</h2>' in contents.group(1)
    for target in ["responses", "divergence"]:
        assert f'<a href="#{target}">' in contents.group(1) and f'id="{target}"' in html
    for level in instrument.levels:
        assert f'<a href="#level-{level.id}">{escape(level.label)}</a>' in contents.group(1)
        assert f'<h2 id="level-{level.id}-heading">{escape(level.label)}</h2>' in html
        for domain in level.domains:
            assert f'<a href="#domain-{domain.id}">{escape(domain.label)}</a>' \
                in contents.group(1)
            assert f'<h3 id="domain-{domain.id}-heading">{escape(domain.label)}</h3>' in html


def test_the_results_still_show_every_question_in_its_domain(demo, client, instrument):
    html = results_of_the_demo(client)
    questions = [q.id for lv in instrument.levels for d in lv.domains for q in d.questions]
    shown = re.findall(r'<article id="([A-Z]{3}-[A-Z]{3}-\d\d)">', html)
    assert shown == questions
    for level in instrument.levels:
        for domain in level.domains:
            body = section(html, f"domain-{domain.id}")
            assert re.findall(r'<article id="([\w-]+)">', body) == [
                q.id for q in domain.questions]


def test_the_results_keep_every_suppression_notice(demo, client):
    html = results_of_the_demo(client)
    results = review_results(Review.objects.get(slug="XA-2026"))
    withheld = sum(len(q.withheld) for q in results.questions.values())
    assert withheld and html.count('<tr class="withheld">') == withheld + len(
        results.responses.withheld)
    merged = sum(v.group == MERGED for q in results.questions.values() for v in q.groups)
    assert merged and html.count('<tr class="merged">') == merged


def test_domains_are_folded_unless_cjs_and_health_disagree(demo, client, instrument):
    html = results_of_the_demo(client)
    results = review_results(Review.objects.get(slug="XA-2026"))
    for level in instrument.levels:
        for domain in level.domains:
            body = section(html, f"domain-{domain.id}")
            disagree = results.disagree(results.domains[domain.id].divergence) or any(
                results.disagree(results.question(q.id).divergence)
                for q in domain.questions if results.question(q.id))
            assert ("<details open>" in body) == disagree, domain.id
            summary = re.search(r"<summary>(.*?)</summary>", body, re.S).group(1)
            assert f"{len(domain.questions)} questions" in summary
            assert ("CJS and health disagree on" in summary) == disagree
    assert "<details open>" in section(html, "domain-PRV-CJE")  # the demo's disagreement
    assert "small groups merged or withheld on" in section(html, "domain-SYS-REG")


def test_after_a_decision_the_lead_is_back_at_the_question_unfolded(demo, client):
    results_of_the_demo(client)
    assert "<details open>" not in section(results_of_the_demo(client), "domain-SYS-REG")
    response = client.post(reverse("consultations:adopt", args=["XA-2026", "SYS-REG-02"]),
                           {"decision": "adopt", "justification": "They know best."})
    assert response.status_code == 302
    assert response["Location"].endswith("?decided=SYS-REG-02#SYS-REG-02")
    html = client.get(response["Location"].split("#")[0]).content.decode()
    assert "<details open>" in section(html, "domain-SYS-REG")
