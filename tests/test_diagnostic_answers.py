"""Answering the diagnostic: the scale, evidence and sources, severity, autosave, final lock."""

import re

import pytest
from django.urls import reverse

from acsreview.web.reviews.models import AuditEvent

pytestmark = pytest.mark.django_db


def save(client, review, item, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("reviews:save_answer", args=[review.slug, item]),
                       {"version": 0, **data}, **headers)


def test_an_answer_is_saved_with_evidence_sources_and_confidence(cast, as_user):
    client = as_user(cast.xa_contributor)
    response = save(client, cast.xa_review, "SYS-REG-01", answer="partly",
                    evidence="The 2011 act allows diversion at prosecution only.",
                    confidence="medium", notes="check with ministry",
                    source_0_title="Drug Act 2011", source_0_url="https://example.org/act",
                    source_0_year="2011")
    assert response.status_code == 302
    a = cast.xa_review.answers.get(item_id="SYS-REG-01")
    assert (a.answer, a.confidence, a.version) == ("partly", "medium", 1)
    assert a.sources == [{"title": "Drug Act 2011", "url": "https://example.org/act",
                          "year": 2011}]
    assert a.updated_by == cast.xa_contributor


def test_the_page_shows_the_severity_of_each_answer(cast, as_user):
    client = as_user(cast.xa_lead)
    save(client, cast.xa_review, "SYS-REG-01", answer="no")          # facilitator: 2
    save(client, cast.xa_review, "SYS-SOC-03", answer="yes")         # barrier: 2
    save(client, cast.xa_review, "SYS-REG-02", answer="dont_know")   # not scored
    html = client.get(reverse("reviews:domain", args=[cast.xa_review.slug, "SYS-REG"]))
    html = html.content.decode()
    assert 'Severity: <strong class="sev sev-2">2</strong>' in html
    assert "Not scored: an evidence gap" in html
    soc = client.get(reverse("reviews:domain", args=[cast.xa_review.slug, "SYS-SOC"]))
    assert 'sev-2">2</strong>' in soc.content.decode()


def test_an_override_needs_a_justification(cast, as_user):
    client = as_user(cast.xa_lead)
    response = save(client, cast.xa_review, "SYS-REG-01", htmx=True, answer="yes",
                    severity_override="2")
    assert response["X-Save-Status"] == "422"
    assert "Say why the severity is overridden" in response.content.decode()
    assert not cast.xa_review.answers.exists()
    response = save(client, cast.xa_review, "SYS-REG-01", htmx=True, answer="yes",
                    severity_override="2", override_justification="Act unused in practice")
    assert response["X-Save-Status"] == "200"
    html = response.content.decode()
    assert "overridden; computed 0" in html


def test_open_items_take_text(cast, as_user):
    client = as_user(cast.xa_lead)
    save(client, cast.xa_review, "SYS-REG-06", text="Regional rules differ.")
    a = cast.xa_review.answers.get(item_id="SYS-REG-06")
    assert a.text == "Regional rules differ." and a.answer == ""


def test_autosave_answers_with_the_saved_state_and_the_new_version(cast, as_user):
    client = as_user(cast.xa_lead)
    response = save(client, cast.xa_review, "SYS-REG-01", htmx=True, answer="yes")
    html = response.content.decode()
    assert response.status_code == 200 and response["X-Save-Status"] == "200"
    assert re.search(r"Saved at \d\d:\d\d:\d\d UTC", html)  # the time zone is said
    assert 'id="version-SYS-REG-01" value="1" hx-swap-oob="true"' in html
    # the next autosave builds on version 1
    response = client.post(reverse("reviews:save_answer", args=[cast.xa_review.slug,
                                                                "SYS-REG-01"]),
                           {"version": 1, "answer": "no"}, HTTP_HX_REQUEST="true")
    assert response["X-Save-Status"] == "200"
    assert cast.xa_review.answers.get(item_id="SYS-REG-01").version == 2


def test_every_change_is_in_the_audit_trail_and_the_history_page(cast, as_user):
    client = as_user(cast.xa_lead)
    save(client, cast.xa_review, "SYS-REG-01", answer="yes")
    client.post(reverse("reviews:save_answer", args=[cast.xa_review.slug, "SYS-REG-01"]),
                {"version": 1, "answer": "no"})
    events = AuditEvent.objects.filter(review=cast.xa_review, object_id="SYS-REG-01")
    last = events.first()
    assert last.user == cast.xa_lead
    assert last.before["answer"] == "yes" and last.after["answer"] == "no"
    html = client.get(reverse("reviews:history", args=[cast.xa_review.slug])).content.decode()
    assert "Answer to question SYS-REG-01" in html and "lead.xa@example.org" in html


def test_a_final_review_is_read_only(cast, as_user):
    review = cast.xa_review
    review.status = "final"
    review.save()
    client = as_user(cast.xa_lead)
    assert save(client, review, "SYS-REG-01", answer="yes").status_code == 403
    html = client.get(reverse("reviews:domain", args=[review.slug, "SYS-REG"])).content.decode()
    assert "<fieldset disabled" in html and "hx-post" not in html
    assert not review.answers.exists()


def test_an_unknown_item_is_404(cast, as_user):
    assert save(as_user(cast.xa_lead), cast.xa_review, "SYS-XXX-01",
                answer="yes").status_code == 404


def test_a_bad_source_link_is_refused_with_its_field_named(cast, as_user):
    response = save(as_user(cast.xa_lead), cast.xa_review, "SYS-REG-01", htmx=True,
                    answer="yes", source_0_title="x", source_0_url="javascript:alert(1)")
    assert response["X-Save-Status"] == "422"
    assert "Enter a full web address" in response.content.decode()


def test_principles_are_answered_on_their_own_page(cast, as_user):
    client = as_user(cast.xa_lead)
    page = client.get(reverse("reviews:principles", args=[cast.xa_review.slug]))
    assert "BP-03" in page.content.decode()
    save(client, cast.xa_review, "BP-03", answer="partly")
    assert cast.xa_review.answers.get(item_id="BP-03").answer == "partly"


def test_correspondents_answers_are_structured(cast, as_user):
    client = as_user(cast.xa_lead)
    page = reverse("reviews:correspondents", args=[cast.xa_review.slug])
    response = client.post(page, {"question_id": "LPC-2", "version": 0,
                                  "research_exists": "yes",
                                  "studies_0_citation": "Evaluation of diversion, XA (2019)",
                                  "studies_0_year": "2019", "studies_0_url": "",
                                  "findings": "Completion 60%."})
    assert response.status_code == 302
    stored = cast.xa_review.correspondent_answers.get(question_id="LPC-2").values
    assert stored["research_exists"] == "yes"
    assert stored["studies"] == [{"citation": "Evaluation of diversion, XA (2019)",
                                  "year": 2019, "url": ""}]
    html = client.get(page).content.decode()
    assert "Evaluation of diversion, XA (2019)" in html


def test_a_study_link_gets_https_if_typed_without_and_a_wrong_one_is_refused(cast, as_user):
    client = as_user(cast.xa_lead)
    page = reverse("reviews:correspondents", args=[cast.xa_review.slug])
    data = {"question_id": "LPC-2", "version": 0, "research_exists": "yes",
            "studies_0_citation": "Evaluation of diversion, XA (2019)",
            "studies_0_url": "www.example.org/evaluation"}
    assert client.post(page, data).status_code == 302
    stored = cast.xa_review.correspondent_answers.get(question_id="LPC-2").values
    assert stored["studies"][0]["url"] == "https://www.example.org/evaluation"
    response = client.post(page, {**data, "version": 1, "studies_0_url": "see the library"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "row 1: enter a full web address (https://…)." in html
    assert 'value="see the library"' in html  # what was typed stays, to be corrected
    assert cast.xa_review.correspondent_answers.get(question_id="LPC-2").version == 1
