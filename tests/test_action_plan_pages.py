"""The action plan page: ranked, explained recommendations, and the lead's decisions on them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from acsreview.web.consultations.models import Consultation, Response, ResponseAnswer
from acsreview.web.reviews.models import ActionItem, Answer, AuditEvent, Status
from acsreview.web.reviews.services.actions import decide

pytestmark = pytest.mark.django_db

TOP, SECOND, THIRD = "system:address_barriers", "provider:resourcing", "provider:awareness"
EVIDENCE = "Ministry circular on ACS read in full (test)."
OVERRIDE = "Lowered: one district only (test)."


def answer(review, item_id, value, **extra):
    return Answer.objects.create(review=review, item_id=item_id, answer=value, version=1,
                                 **extra)


@pytest.fixture
def answered(cast):
    """Three barriers on XA-2026, one per recommendation, of clearly different weights.

    SYS-REG-01 "no": 2/2 x 0.75 (no consultation) x 1 (a policy lever) = 0.75;
    PRV-CJI-02 "no", lowered to 1 by the lead: 0.5 x 0.75 x 1 = 0.375;
    PRV-CJI-03 "partly": 0.5 x 0.75 x 0.5 (no policy lever) = 0.1875.
    """
    answer(cast.xa_review, "SYS-REG-01", "no", evidence=EVIDENCE, confidence="high",
           sources=[{"title": "Circular 4/2024 (test)", "url": "https://x.example/c",
                     "year": 2024}])
    answer(cast.xa_review, "PRV-CJI-02", "no", severity_override=1,
           override_justification=OVERRIDE)
    answer(cast.xa_review, "PRV-CJI-03", "partly")
    answer(cast.xb_review, "SYS-REG-01", "no")
    return cast


def plan_url(review):
    return reverse("reviews:plan", args=[review.slug])


def decide_url(review, key):
    return reverse("reviews:decide", args=[review.slug, key])


def form_data(key, form="decision", **fields):
    prefix = ("p-" if form == "progress" else "") + key.replace(":", "-")
    data = {"form": form, f"{prefix}-version": "0", f"{prefix}-status": "not_started"}
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return data


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_recommendations_are_ranked_by_weight_and_explained(answered, as_user, instrument):
    response = as_user(answered.xa_lead).get(plan_url(answered.xa_review))
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    # in rank order, with their area at their level and their weight
    headings = re.findall(r'<h3 id="rec-([\w-]+)-heading">\s*(\d+)\.', html)
    assert headings == [("system-address_barriers", "1"), ("provider-resourcing", "2"),
                        ("provider-awareness", "3")]
    assert "1. Identify and address existing barriers to ACS use (System level)" in text
    assert "Weight 0.75" in text and "Weight 0.38" in text and "Weight 0.19" in text
    # how the ranking works, in words
    assert "Waltz et al. 2019" in text and "CFIR" in text
    assert "severity × agreement × policy lever" in text
    # the barrier behind it, its weight's factors, and the lead's evidence
    assert "SYS-REG-01" in text and "Is there legislation in place which facilitates" in text
    assert "= 1.00 × 0.75 × 1.00" in text
    assert "no published stakeholder figure" in text
    assert EVIDENCE in text and "Circular 4/2024 (test)" in text
    # an override is shown as such, with its justification
    assert "overridden; computed 2" in text and OVERRIDE in text
    # concrete facilitators and principles from the instrument
    catalogue = {e.id: e.text for e in instrument.catalogue}
    assert catalogue["CAT-OF-07"] in text
    principles = {p.id: p.text for p in instrument.principles}
    assert principles["BP-08"] in text
    # the evidence gaps, pointing to the evidence area
    gaps = text[text.index("Evidence gaps"):]
    assert "SYS-REG-02" in gaps and "Develop, disseminate and use the evidence base" in gaps
    # no earlier round
    assert "first review round" in text


def test_the_link_is_in_the_review_navigation(answered, as_user):
    html = as_user(answered.xa_lead).get(plan_url(answered.xa_review)).content.decode()
    assert re.search(r'href="/reviews/XA-2026/plan/" aria-current="page">Action plan', html)


def test_a_reader_sees_no_form_and_may_not_post(answered, as_user):
    client = as_user(answered.xb_viewer)
    response = client.get(plan_url(answered.xb_review))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Identify and address existing barriers" in html
    assert 'method="post" action="/reviews/XB-2026/plan/' not in html
    assert "You can read this action plan but not decide on it." in html
    response = client.post(decide_url(answered.xb_review, TOP),
                           form_data(TOP, decision="accepted"))
    assert response.status_code == 403
    assert not ActionItem.objects.exists()


def test_an_outsider_is_not_told_the_review_exists(answered, as_user):
    for persona, review in [("outsider", answered.xa_review), ("xb_viewer", answered.xa_review),
                            ("xa_lead", answered.xb_review)]:
        client = as_user(getattr(answered, persona))
        assert client.get(plan_url(review)).status_code == 404, persona
        response = client.post(decide_url(review, TOP), form_data(TOP, decision="accepted"))
        assert response.status_code == 404, persona
        client.logout()
    assert not ActionItem.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(answered, client):
    response = client.get(plan_url(answered.xa_review))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["xa_lead", "coordinator"])
def test_the_lead_accepts_a_recommendation(answered, as_user, persona):
    client = as_user(getattr(answered, persona))
    response = client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, decision="accepted", owner="Ministry of Justice (test)", due_date="2026-12-31",
        status="in_progress"))
    assert response.status_code == 302
    assert response["Location"].endswith("/plan/#rec-system-address_barriers")
    item = ActionItem.objects.get(review=answered.xa_review, key=TOP)
    assert item.decision == "accepted" and item.agreed
    assert item.title == "Identify and address existing barriers to ACS use (System level)"
    assert (item.rank, item.level_id, item.area_id) == (1, "system", "address_barriers")
    assert item.weight == pytest.approx(0.75)
    assert item.barriers == {"SYS-REG-01": 2}  # the severity when decided
    assert item.owner == "Ministry of Justice (test)" and str(item.due_date) == "2026-12-31"
    assert item.status == "in_progress" and item.version == 1
    assert item.updated_by == getattr(answered, persona)
    text = text_of(client.get(plan_url(answered.xa_review)))
    assert "Saved." in text
    decision = text[text.index("1. Identify"):text.index("2. Increase")]
    assert "Accepted" in decision and "Ministry of Justice (test)" in decision
    assert "In progress" in decision and "2026-12-31" in decision
    assert "Save the progress" in decision and "Change the decision" in decision


def test_accepting_with_edits_keeps_the_team_wording_and_reason(answered, as_user):
    client = as_user(answered.xa_lead)
    response = client.post(decide_url(answered.xa_review, SECOND), form_data(
        SECOND, decision="edited", title="Two more probation officers per district (test)",
        description="Funded from the 2027 budget.", justification="Capacity, not training.",
        owner="Probation Service (test)"))
    assert response.status_code == 302
    item = ActionItem.objects.get(key=SECOND)
    assert (item.decision, item.title, item.description, item.justification) == (
        "edited", "Two more probation officers per district (test)",
        "Funded from the 2027 budget.", "Capacity, not training.")
    assert item.barriers == {"PRV-CJI-02": 1}  # the lead's override, not the computed 2
    text = text_of(client.get(plan_url(answered.xa_review)))
    assert "Two more probation officers per district (test)" in text
    assert "Capacity, not training." in text


def test_rejecting_keeps_the_reason_and_no_owner(answered, as_user):
    client = as_user(answered.xa_lead)
    client.post(decide_url(answered.xa_review, THIRD), form_data(
        THIRD, decision="rejected", justification="Covered by the 2025 training plan (test).",
        owner="Someone"))
    item = ActionItem.objects.get(key=THIRD)
    assert item.decision == "rejected" and not item.agreed
    assert item.justification == "Covered by the 2025 training plan (test)."
    assert item.owner == ""
    text = text_of(client.get(plan_url(answered.xa_review)))
    assert "Rejected" in text and "Covered by the 2025 training plan (test)." in text


@pytest.mark.parametrize("decision", ["edited", "rejected"])
def test_editing_or_rejecting_without_a_reason_is_refused(answered, as_user, decision):
    client = as_user(answered.xa_lead)
    response = client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, decision=decision, title="Something else (test)", justification="  "))
    assert response.status_code == 422
    text = text_of(response)
    assert ("Not saved, “Identify and address existing barriers to ACS use (System level)”: "
            "Reason: Say why the recommendation is edited or rejected.") in text
    # the refused form says so first, and takes the focus: the page opens there
    assert re.search(r'<p role="alert" class="error" tabindex="-1" autofocus>Not saved',
                     response.content.decode())
    # and beside the field itself
    assert 'id="id_system-address_barriers-justification_error"' in response.content.decode()
    assert not ActionItem.objects.exists()
    assert not AuditEvent.objects.filter(object_type="action").exists()


def test_an_edit_needs_a_title(answered, as_user):
    response = as_user(answered.xa_lead).post(decide_url(answered.xa_review, TOP), form_data(
        TOP, decision="edited", title="", justification="Because (test)."))
    assert response.status_code == 422
    assert "”: Action: Give the edited action a title." in text_of(response)
    assert not ActionItem.objects.exists()


def test_a_stale_version_is_refused_and_nothing_is_written(answered, as_user):
    theirs = decide(answered.xa_review, TOP, answered.xa_contributor, decision="accepted",
                    owner="Their owner (test)", expected_version=0)
    events = AuditEvent.objects.count()
    client = as_user(answered.xa_lead)
    response = client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, decision="rejected", justification="Mine (test)."))  # version 0: stale
    assert response.status_code == 409
    text = text_of(response)
    assert "someone else decided this recommendation" in text
    assert "Their owner (test)" in text  # their decision is shown
    assert "Mine (test)." in text  # mine is still in the form
    # the form now names their version: saving again replaces theirs knowingly
    assert re.search(r'name="system-address_barriers-version" value="1"',
                     response.content.decode())
    item = ActionItem.objects.get(key=TOP)
    assert (item.decision, item.owner, item.version) == ("accepted", "Their owner (test)", 1)
    assert item.pk == theirs.pk and AuditEvent.objects.count() == events


def test_a_final_review_is_read_only(answered, as_user):
    Answer.objects.create(review=answered.xa_review, item_id="SYS-REG-02", answer="no")
    answered.xa_review.status = Status.FINAL
    answered.xa_review.save()
    client = as_user(answered.xa_lead)
    html = client.get(plan_url(answered.xa_review)).content.decode()
    assert "Identify and address existing barriers" in html
    assert 'action="/reviews/XA-2026/plan/' not in html
    response = client.post(decide_url(answered.xa_review, TOP),
                           form_data(TOP, decision="accepted"))
    assert response.status_code == 403
    assert not ActionItem.objects.exists()


def test_the_service_refuses_a_review_that_became_final(answered):
    from acsreview.web.reviews.services.actions import ActionLocked

    answered.xa_review.status = Status.FINAL
    answered.xa_review.save()
    with pytest.raises(ActionLocked):
        decide(answered.xa_review, TOP, answered.xa_lead, decision="accepted",
               expected_version=0)
    assert not ActionItem.objects.exists()


def test_every_decision_is_in_the_audit_trail(answered, as_user):
    client = as_user(answered.xa_lead)
    client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, decision="accepted", owner="Ministry (test)"))
    event = AuditEvent.objects.get(object_type="action", object_id=TOP)
    assert event.action == "create" and event.user == answered.xa_lead
    assert event.review == answered.xa_review
    assert event.after["decision"] == "accepted" and event.after["owner"] == "Ministry (test)"
    client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, "progress", version="1", owner="Ministry (test)", status="done"))
    progress = AuditEvent.objects.filter(object_type="action", action="progress").get()
    assert progress.before == {"status": "not_started"} and progress.after == {"status": "done"}
    history = text_of(client.get(reverse("reviews:history", args=["XA-2026"])))
    assert ("Progress of action “Identify and address existing barriers to ACS use (System "
            "level)” updated") in history


def test_progress_updates_keep_the_decision_and_its_barriers(answered, as_user):
    client = as_user(answered.xa_lead)
    client.post(decide_url(answered.xa_review, TOP), form_data(TOP, decision="accepted"))
    # the answer changes after the decision: the action keeps the severity it was decided on
    Answer.objects.filter(review=answered.xa_review, item_id="SYS-REG-01").update(
        answer="partly")
    response = client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, "progress", version="1", owner="Health ministry (test)",
        due_date="2027-01-31", status="in_progress"))
    assert response.status_code == 302
    item = ActionItem.objects.get(key=TOP)
    assert (item.owner, str(item.due_date), item.status, item.version) == (
        "Health ministry (test)", "2027-01-31", "in_progress", 2)
    assert item.decision == "accepted" and item.barriers == {"SYS-REG-01": 2}


def test_a_decided_action_with_no_barrier_left_stays_listed(answered, as_user):
    client = as_user(answered.xa_lead)
    client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, decision="edited", title="A law on ACS (test)", justification="Narrower (test)."))
    Answer.objects.filter(review=answered.xa_review, item_id="SYS-REG-01").update(answer="yes")
    text = text_of(client.get(plan_url(answered.xa_review)))
    assert "1. Increase resourcing and capacity for ACS (Provider level)" in text
    orphans = text[text.index("Decided actions with no barrier left behind them"):]
    assert "A law on ACS (test)" in orphans and "no barrier left behind it" in orphans
    assert "SYS-REG-01" in orphans


def test_an_unknown_recommendation_is_not_found(answered, as_user):
    client = as_user(answered.xa_lead)
    for key in ["nowhere:resourcing", "system:nothing", "client:evidence"]:  # last: no barrier
        response = client.post(decide_url(answered.xa_review, key),
                               form_data(key, decision="accepted"))
        assert response.status_code == 404, key
    assert not ActionItem.objects.exists()


def test_stakeholder_figures_weigh_in_and_are_shown(cast, as_user):
    """Six police officers say there is no ACS law (SYS-REG-01); the lead has not answered."""
    consultation = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    responses = Response.objects.bulk_create([
        Response(consultation=consultation, group="police", instance_id=f"t{i}",
                 submitted_at=timezone.now()) for i in range(6)])
    ids = list(consultation.responses.order_by("id").values_list("id", flat=True))
    assert len(ids) == len(responses)
    ResponseAnswer.objects.bulk_create([ResponseAnswer(response_id=pk, item_id="SYS-REG-01",
                                                       answer="no") for pk in ids])
    text = text_of(as_user(cast.xa_lead).get(plan_url(cast.xa_review)))
    assert "1. Identify and address existing barriers to ACS use (System level)" in text
    assert "not scored by the lead: the stakeholders' index is used" in text
    assert "index 100/100" in text and "100% see a barrier" in text and "n = 6" in text
    assert "= 1.00 × 1.00 × 1.00" in text  # every stakeholder sees the barrier
    assert "Stakeholder figures come from the consultation" in text


def test_coordinators_can_list_decisions_in_the_administration_but_not_change_them(answered,
                                                                                    as_user):
    item = decide(answered.xa_review, TOP, answered.xa_lead, decision="accepted",
                  owner="Ministry (test)", expected_version=0)
    client = as_user(answered.coordinator)
    response = client.get("/admin/reviews/actionitem/")
    assert response.status_code == 200 and "Ministry (test)" in response.content.decode()
    assert client.get("/admin/reviews/actionitem/add/").status_code == 403
    response = client.post(f"/admin/reviews/actionitem/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ActionItem.objects.filter(pk=item.pk).exists()


def test_a_contributor_updates_progress_but_does_not_decide(answered, as_user):
    lead = as_user(answered.xa_lead)
    lead.post(decide_url(answered.xa_review, TOP), form_data(TOP, decision="accepted"))
    item = ActionItem.objects.get(review=answered.xa_review, key=TOP)
    client = as_user(answered.xa_contributor)
    page = client.get(plan_url(answered.xa_review)).content.decode()
    assert "Save the progress" in page and "Save the decision" not in page
    refused = client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, decision="rejected", justification="not ours"))
    assert refused.status_code == 403
    prefix = "p-" + TOP.replace(":", "-")
    saved = client.post(decide_url(answered.xa_review, TOP), {
        "form": "progress", f"{prefix}-version": item.version,
        f"{prefix}-owner": "Health ministry (test)", f"{prefix}-due_date": "",
        f"{prefix}-status": "in_progress"})
    assert saved.status_code == 302
    item.refresh_from_db()
    assert (item.decision, item.owner, item.status) == (
        "accepted", "Health ministry (test)", "in_progress")


def test_an_accepted_action_reads_in_the_language_of_whoever_looks(answered, as_user):
    """Accepted in English, it is called by its recommendation's French words in French, on
    the plan, its follow-up in the next round and the trends page; an edited one keeps the
    lead's own words in every language."""
    from django.conf import settings

    from acsreview.web.instruments import localized_instrument_of
    from acsreview.web.reviews.services.actions import default_title
    from acsreview.web.reviews.services.workflow import start_review

    client = as_user(answered.xa_lead)
    client.post(decide_url(answered.xa_review, TOP), form_data(TOP, decision="accepted"))
    client.post(decide_url(answered.xa_review, SECOND), form_data(
        SECOND, decision="edited", title="Deux agents de probation (test)",
        justification="Capacity (test)."))
    english = "Identify and address existing barriers to ACS use (System level)"
    assert ActionItem.objects.get(key=TOP).title == english
    with translation.override("fr"):
        french = default_title(localized_instrument_of(answered.xa_review, "fr"),
                               "system", "address_barriers")
    assert french != english and "(" in french
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(plan_url(answered.xa_review))
    text, decisions = text_of(page), re.findall(r"<dd>([^<]*)</dd>", page.content.decode())
    assert french in decisions and english not in text
    assert "Deux agents de probation (test)" in decisions
    # the next round follows it up under its French name, and so does the trends page
    xa = answered.xa_review
    later = start_review(xa.jurisdiction, 2030, xa.instrument_id, xa.instrument_version,
                         answered.xa_lead, carry_from=xa)
    for url in (plan_url(later), reverse("reviews:trends", args=[later.slug])):
        text = text_of(client.get(url))
        assert french in text and english not in text, url
        assert "Deux agents de probation (test)" in text, url


def test_reloading_a_refused_save_leads_back_to_the_recommendation(answered, as_user):
    """A refused save answers at the decision's address; asking for it again (a reload, the
    browser's history) leads to the recommendation on the plan, for anyone who may read."""
    client = as_user(answered.xa_lead)
    refused = client.post(decide_url(answered.xa_review, TOP), form_data(
        TOP, decision="rejected", justification=""))
    assert refused.status_code == 422
    again = client.get(decide_url(answered.xa_review, TOP))
    assert again.status_code == 302
    assert again["Location"] == plan_url(answered.xa_review) + "#rec-system-address_barriers"
    reader = as_user(answered.xb_viewer).get(decide_url(answered.xb_review, TOP))
    assert reader.status_code == 302
    assert client.get(decide_url(answered.xa_review, "nowhere:resourcing")).status_code == 404
    assert as_user(answered.xb_viewer).get(
        decide_url(answered.xa_review, TOP)).status_code == 404  # not one of theirs


def test_the_two_kinds_of_agreement_have_different_names(cast, as_user):
    """The weight's agreement factor and the stakeholders' consensus among themselves are two
    numbers: the page calls the second one "consensus"."""
    consultation = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    Response.objects.bulk_create([
        Response(consultation=consultation, group="police", instance_id=f"t{i}",
                 submitted_at=timezone.now()) for i in range(6)])
    ResponseAnswer.objects.bulk_create([
        ResponseAnswer(response_id=pk, item_id="SYS-REG-01", answer="no" if i % 2 else "yes")
        for i, pk in enumerate(consultation.responses.values_list("id", flat=True))])
    text = text_of(as_user(cast.xa_lead).get(plan_url(cast.xa_review)))
    assert re.search(r"50% see a barrier; consensus \d\.\d\d; n = 6", text)
    assert "agreement 0" not in text
    assert "their consensus (0 to 1: how far they agree with one another" in text


def test_the_history_calls_an_accepted_action_by_its_recommendation_in_french(answered,
                                                                             as_user):
    from django.conf import settings

    client = as_user(answered.xa_lead)
    client.post(decide_url(answered.xa_review, TOP), form_data(TOP, decision="accepted"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    history = text_of(client.get(reverse("reviews:history", args=["XA-2026"])))
    assert "Identify and address existing barriers" not in history
    assert "(Niveau du système)" in history
