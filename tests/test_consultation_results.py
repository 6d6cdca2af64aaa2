"""The consultation results page: who may see it, its figures, divergence, the lead's decisions."""

import math
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from acsreview.web.consultations.models import Adoption, Consultation, Response, ResponseAnswer
from acsreview.web.consultations.services.results import review_results
from acsreview.web.reviews.models import Answer, AuditEvent, Status

pytestmark = pytest.mark.django_db


def respond(consultation, group, items: dict, *, submitted=True):
    """One response per row: the i-th response of ``group`` gives the i-th value of each item.

    A value that is not on the answer scale is an open text.
    """
    count = max(len(v) for v in items.values())
    start = consultation.responses.count()
    responses = Response.objects.bulk_create([
        Response(consultation=consultation, group=group, instance_id=f"t{start + i}",
                 submitted_at=timezone.now() if submitted else None) for i in range(count)])
    ids = [r.pk for r in responses] if all(r.pk for r in responses) else list(
        consultation.responses.filter(instance_id__in=[r.instance_id for r in responses])
        .order_by("id").values_list("id", flat=True))
    scale = {"yes", "partly", "no", "dont_know", "not_applicable", "prefer_not_to_say"}
    ResponseAnswer.objects.bulk_create([
        ResponseAnswer(response_id=ids[i], item_id=item,
                       **({"answer": v} if v in scale else {"text": v}))
        for item, values in items.items() for i, v in enumerate(values)])


def of(**counts):
    return [a for a, n in counts.items() for _ in range(n)]


SECRET = "Sergeant Example at the harbour station"  # an open text that could identify someone


@pytest.fixture
def consultation(cast):
    """SYS-REG-01 (facilitator) answered by police 6, judges 5, health 6; threshold 5."""
    c = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    respond(c, "police", {"SYS-REG-01": of(yes=3, partly=1, no=2),
                          "SYS-REG-02": of(yes=6),
                          "SYS-REG-06": [SECRET, "x", "y", "z", "w"]})
    respond(c, "judges", {"SYS-REG-01": of(yes=5), "SYS-REG-02": of(yes=5)})
    respond(c, "health", {"SYS-REG-01": of(partly=1, no=4, dont_know=1),
                          "SYS-REG-02": of(yes=5, partly=1)})
    respond(c, "health", {"SYS-REG-01": of(no=9)}, submitted=False)  # not submitted: ignored
    return c


def url(review, name="consultations:results", *extra):
    return reverse(name, args=[review.slug, *extra])


def article(html, item_id):
    match = re.search(rf'<article id="{item_id}">(.*?)</article>', html, re.S)
    assert match, item_id
    return match.group(1)


def test_the_page_follows_roles(cast, as_user, client, consultation):
    expect = {
        "coordinator": (200, 200),
        "xa_lead": (200, 404),
        "xa_contributor": (200, 404),
        "xb_viewer": (404, 200),
        "outsider": (404, 404),
    }
    for persona, (xa, xb) in expect.items():
        c = as_user(getattr(cast, persona))
        assert c.get(url(cast.xa_review)).status_code == xa, persona
        assert c.get(url(cast.xb_review)).status_code == xb, persona
        c.logout()
    response = client.get(url(cast.xa_review))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_review_without_a_consultation_says_so(cast, as_user):
    response = as_user(cast.xb_viewer).get(url(cast.xb_review))
    assert response.status_code == 200
    assert "no consultation yet" in response.content.decode()


def test_another_reviews_consultation_is_not_found(cast, as_user, consultation):
    other = Consultation.objects.create(review=cast.xb_review, languages=["en"])
    client = as_user(cast.coordinator)
    assert client.get(url(cast.xa_review), {"consultation": other.public_id}).status_code == 404
    assert client.get(url(cast.xa_review), {"consultation": "nonsense"}).status_code == 404
    ok = client.get(url(cast.xa_review), {"consultation": consultation.public_id})
    assert ok.status_code == 200


def cns(*weights_and_distances):
    """Tastle and Wierman by hand: 1 + sum p log2(1 - |i - mean| / 2)."""
    return 1 + sum(p * math.log2(1 - d) for p, d in weights_and_distances)


def test_figures_match_hand_computed_values(cast, consultation):
    q = review_results(cast.xa_review).questions["SYS-REG-01"]
    shown = {v.group: v for v in q.groups}
    assert list(shown) == ["police", "judges", "health"]  # the instrument's order
    police, judges, health = shown["police"], shown["judges"], shown["health"]
    # police: severities 0,0,0,1,2,2 -> mean 5/6 -> index 41.67
    assert (police.n, police.scored) == (6, 6)
    assert police.severity_index == pytest.approx(5 / 6 / 2 * 100)
    mean = 5 / 6
    assert police.agreement == pytest.approx(cns((3 / 6, mean / 2), (1 / 6, (1 - mean) / 2),
                                                 (2 / 6, (2 - mean) / 2)))
    assert judges.severity_index == 0 and judges.agreement == 1
    # health: the unsubmitted nine "no" are left out; "don't know" counts in n only
    assert (health.n, health.scored, health.distribution["dont_know"]) == (6, 5, 1)
    assert health.severity_index == pytest.approx(90)
    assert health.agreement == pytest.approx(cns((1 / 5, 0.8 / 2), (4 / 5, 0.2 / 2)))
    # overall: severities 8 x 0, 2 x 1, 6 x 2 -> 14/16 -> 43.75; CJS: 8, 1, 2 -> 5/11
    assert q.overall.n == 17 and q.overall.severity_index == pytest.approx(43.75)
    assert q.cjs.members == ("judges", "police")
    assert q.cjs.severity_index == pytest.approx(5 / 11 / 2 * 100)
    assert q.divergence == pytest.approx(90 - 5 / 11 / 2 * 100)


def test_the_page_shows_the_figures_beside_the_leads_answer(cast, as_user, consultation):
    Answer.objects.create(review=cast.xa_review, item_id="SYS-REG-01", answer="partly")
    html = as_user(cast.xa_contributor).get(url(cast.xa_review)).content.decode()
    block = article(html, "SYS-REG-01")
    assert "Partly" in block and 'sev sev-1">1<' in block and "50 on the 0-100 index" in block
    assert "severity index <strong>44</strong>" in block  # 43.75, rounded
    assert "17 answers" in block
    assert "<th scope=\"row\">Police</th>" in block
    assert "<td>6</td>" in block and "42" in block and "0.73" in block  # health agreement
    assert '<caption id="answers-SYS-REG-01-caption">' in block and 'scope="col"' in block
    # the lead has not answered SYS-REG-02
    assert "Not answered yet" in article(html, "SYS-REG-02")
    # domains in level order, with their divergence at the top
    assert html.index('id="domain-SYS-REG"') < html.index('id="domain-PRV-CJE"') \
        < html.index('id="domain-CLI-CON"')
    assert html.index("divergence by domain") < html.index('id="domain-SYS-REG"')


def test_divergence_is_flagged_from_fifty_points(cast, as_user, consultation):
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    assert "CJS and health disagree" in article(html, "SYS-REG-01")  # 90 vs 22.7: 67 points
    # SYS-REG-02: CJS index 0, health 1/6 / 2 * 100 = 8.3: no flag
    assert "CJS and health disagree" not in article(html, "SYS-REG-02")
    summary = html[html.index("divergence by domain"):html.index('id="domain-SYS-REG"')]
    # the domain's mean: (67.3 + 8.3) / 2 = 37.8 points over 2 questions: not flagged
    assert re.search(r"National regulatory frameworks</a></th><td>[^<]*</td>\s*<td>38</td>\s*"
                     r"<td>2</td>", summary)
    assert "CJS and health disagree" not in summary


def test_open_texts_are_counted_never_shown(cast, as_user, consultation):
    html = as_user(cast.coordinator).get(url(cast.xa_review)).content.decode()
    assert SECRET not in html
    block = article(html, "SYS-REG-06")
    assert "5 open-text answers (not shown)" in block


def post_decision(client, review, item="SYS-REG-01", **data):
    return client.post(url(review, "consultations:adopt", item), data)


def test_a_decision_requires_a_justification_and_is_audited(cast, as_user, consultation):
    client = as_user(cast.xa_lead)
    response = post_decision(client, cast.xa_review, decision="adopt", justification="  ")
    assert response.status_code == 422
    assert "A justification is required." in article(response.content.decode(), "SYS-REG-01")
    assert not Adoption.objects.exists()
    assert not AuditEvent.objects.filter(object_type="adoption").exists()
    assert post_decision(client, cast.xa_review, justification="why").status_code == 422

    response = post_decision(client, cast.xa_review, decision="adopt",
                             justification="The stakeholders know the practice better.")
    assert response.status_code == 302
    adoption = Adoption.objects.get(review=cast.xa_review, item_id="SYS-REG-01")
    assert (adoption.decision, adoption.by) == ("adopt", cast.xa_lead)
    event = AuditEvent.objects.get(object_type="adoption")
    assert (event.object_id, event.action, event.user) == ("SYS-REG-01", "create", cast.xa_lead)
    assert event.after == {"decision": "adopt",
                           "justification": "The stakeholders know the practice better."}

    response = post_decision(client, cast.xa_review, decision="override",
                             justification="Our evidence says otherwise.")
    assert response.status_code == 302
    assert Adoption.objects.get().decision == "override"
    update = AuditEvent.objects.filter(object_type="adoption").latest("id")
    assert update.action == "update" and update.before["decision"] == "adopt"

    html = client.get(url(cast.xa_review)).content.decode()
    block = article(html, "SYS-REG-01")
    assert "Keep the lead&#x27;s answer" in block and "Our evidence says otherwise." in block
    assert f"by {cast.xa_lead.get_full_name()}" in block


def test_only_leads_decide_and_only_on_published_choice_questions(cast, as_user, consultation):
    data = {"decision": "adopt", "justification": "because"}
    assert post_decision(as_user(cast.xa_contributor), cast.xa_review, **data).status_code == 403
    assert post_decision(as_user(cast.outsider), cast.xa_review, **data).status_code == 404
    assert post_decision(as_user(cast.xb_viewer), cast.xb_review, **data).status_code == 403
    lead = as_user(cast.xa_lead)
    assert lead.get(url(cast.xa_review, "consultations:adopt", "SYS-REG-01")).status_code == 405
    assert post_decision(lead, cast.xa_review, "SYS-REG-06", **data).status_code == 404  # text
    assert post_decision(lead, cast.xa_review, "NOPE-01", **data).status_code == 404
    # no stakeholder answers to SYS-REG-03: nothing to adopt
    assert post_decision(lead, cast.xa_review, "SYS-REG-03", **data).status_code == 422
    assert not Adoption.objects.exists()
    html = as_user(cast.xa_contributor).get(url(cast.xa_review)).content.decode()
    assert "Record the decision" not in html
    assert "Record the decision" in as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()


def test_a_final_review_refuses_decisions(cast, as_user, consultation):
    cast.xa_review.status = Status.FINAL
    cast.xa_review.save(update_fields=["status"])
    for persona in (cast.xa_lead, cast.coordinator):
        client = as_user(persona)
        response = post_decision(client, cast.xa_review, decision="adopt", justification="x")
        assert response.status_code == 403
        page = client.get(url(cast.xa_review))
        assert page.status_code == 200 and "Record the decision" not in page.content.decode()
    assert not Adoption.objects.exists()
