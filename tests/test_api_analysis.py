"""The analysis and the action plan through the API: the same figures as the pages, and
decisions saved through the same service (checks, versions, audit trail)."""

import pytest

from acsreview.core.profile import barrier_profile
from acsreview.web.accounts.models import User
from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo
from acsreview.web.instruments import instrument_of
from acsreview.web.reviews.models import ActionItem, Answer, AuditEvent, Review, Status
from acsreview.web.reviews.services.actions import review_plan

from .api_client import as_api, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    load_demo()
    return User.objects.get(email=DEMO_LEAD_EMAIL)


def test_the_analysis_is_the_profile_with_the_stakeholders_beside_it(lead, client):
    review = Review.objects.get(slug="XA-2026")
    profile = barrier_profile(instrument_of(review),
                              {a.item_id: a for a in review.answers.all()})
    body = as_api(client, lead).get("/api/reviews/XA-2026/analysis").json()
    assert body["overall"]["index"] == pytest.approx(profile.overall.index)
    assert [d["id"] for d in body["domains"]] == [d.id for d in profile.domains]
    assert [lv["id"] for lv in body["levels"]] == ["system", "provider", "client"]
    assert body["domains"][0]["level_id"] == "system"
    assert body["gaps"] == [s.question_id for s in profile.questions if s.gap]
    assert body["stakeholders"]["state"] == "published"
    with_figures = [q for q in body["questions"] if q["stakeholders"]]
    assert with_figures and all(q["stakeholders"]["n"] >= 5 for q in with_figures)
    assert any(q["disagree"] for q in body["questions"])
    assert sum(s["measures"] for s in body["coverage"]["stages"]) == body["coverage"][
        "measures"] > 0


def test_the_plan_lists_ranked_recommendations_with_their_reasons(lead, client):
    review = Review.objects.get(slug="XA-2026")
    expected = review_plan(review).plan
    body = as_api(client, lead).get("/api/reviews/XA-2026/plan").json()
    recs = body["recommendations"]
    assert [r["key"] for r in recs] == [r.key for r in expected.recommendations]
    assert [r["rank"] for r in recs] == sorted(r["rank"] for r in recs)
    top = recs[0]
    assert top["barriers"] and top["weight"] == pytest.approx(
        sum(b["weight"] for b in top["barriers"]))
    assert top["area"] and top["level"]
    assert all(f["text"] for r in recs for f in r["facilitators"])
    assert body["consultation"] is not None and body["barriers"] == expected.barriers
    # the previous round's actions and what became of their barriers
    assert body["previous_round"] == "XA-2024" and body["earlier"]
    assert {e["outcome"] for e in body["earlier"]} <= {"improved", "unchanged", "worsened",
                                                       "not_known"}


@pytest.fixture
def barriers(cast):
    """XA-2026 and XB-2026 with two barriers each: a plan to decide on."""
    for review in (cast.xa_review, cast.xb_review):
        for qid in ("SYS-REG-01", "SYS-REG-02"):
            Answer.objects.create(review=review, item_id=qid, answer="no", version=1)
    return cast


def _first_key(client, user, slug="XA-2026") -> tuple[str, int]:
    rec = as_api(client, user).get(f"/api/reviews/{slug}/plan").json()["recommendations"][0]
    return rec["key"], rec["decision"]["version"] if rec["decision"] else 0


def test_a_lead_decides_and_the_decision_is_versioned_and_audited(barriers, client):
    lead = barriers.xa_lead
    key, version = _first_key(client, lead)
    api = as_api(client, lead)
    response = api.post(f"/api/reviews/XA-2026/plan/{key}", {
        "version": version, "decision": "accepted", "owner": "Ministry of Justice",
        "due_date": "2027-06-30"})
    assert response.status_code == 200, response.content
    action = response.json()
    assert action["key"] == key and action["agreed"] and action["version"] == version + 1
    assert action["due_date"] == "2027-06-30" and action["updated_by"] == lead.email
    assert set(action["barriers"]) == {"SYS-REG-01", "SYS-REG-02"}
    assert ActionItem.objects.get(review__slug="XA-2026", key=key).owner == "Ministry of Justice"
    assert AuditEvent.objects.filter(review__slug="XA-2026", object_type="action",
                                     object_id=key, user=lead).exists()
    plan = api.get("/api/reviews/XA-2026/plan").json()
    assert plan["recommendations"][0]["decision"]["version"] == version + 1
    # progress of the agreed action
    progress = api.post(f"/api/reviews/XA-2026/plan/{key}/progress", {
        "version": version + 1, "status": "in_progress", "owner": "Ministry of Justice"})
    assert progress.status_code == 200 and progress.json()["status"] == "in_progress"

    # a contributor updates progress but does not decide, as on the page
    refused = as_api(client, barriers.xa_contributor).post(
        f"/api/reviews/XA-2026/plan/{key}", {"version": version + 1, "decision": "rejected",
                                              "justification": "No budget."})
    assert_error(refused, 403, "forbidden")
    # someone deciding from the old version gets a conflict, with the decision as it is
    stale = as_api(client, barriers.coordinator).post(f"/api/reviews/XA-2026/plan/{key}", {
        "version": version, "decision": "rejected", "justification": "No budget."})
    error = assert_error(stale, 409, "conflict")
    assert error["current"]["version"] == version + 2
    assert error["current"]["decision"] == "accepted"
    assert ActionItem.objects.get(review__slug="XA-2026", key=key).decision == "accepted"


@pytest.mark.parametrize("body, field", [
    ({"version": 0, "decision": "edited", "justification": "Narrower."}, "title"),
    ({"version": 0, "decision": "rejected"}, "justification"),
    ({"version": 0, "decision": "rejected", "justification": "  "}, "justification"),
    ({"version": 0, "decision": "maybe"}, "decision"),
    ({"version": 0, "decision": "accepted", "due_date": "next week"}, "due_date"),
    ({"version": 0, "decision": "accepted", "status": "stalled"}, "status"),
    ({"version": 0, "decision": "accepted", "owner": "x" * 201}, "owner"),
    ({"decision": "accepted"}, "version"),
])
def test_a_bad_decision_is_422_naming_the_field(barriers, client, body, field):
    key, _version = _first_key(client, barriers.xa_lead)
    response = as_api(client, barriers.xa_lead).post(f"/api/reviews/XA-2026/plan/{key}", body)
    assert field in assert_error(response, 422, "invalid")["fields"]
    assert not ActionItem.objects.exists()
    assert not AuditEvent.objects.filter(object_type="action").exists()


def test_a_rejected_recommendation_has_no_progress(barriers, client):
    key, version = _first_key(client, barriers.xa_lead)
    api = as_api(client, barriers.xa_lead)
    rejected = api.post(f"/api/reviews/XA-2026/plan/{key}", {
        "version": version, "decision": "rejected", "justification": "Done elsewhere."})
    assert rejected.status_code == 200
    response = api.post(f"/api/reviews/XA-2026/plan/{key}/progress", {
        "version": rejected.json()["version"], "status": "done"})
    assert "status" in assert_error(response, 422)["fields"]


def test_unknown_recommendations_are_not_found(barriers, client):
    api = as_api(client, barriers.xa_lead)
    body = {"version": 0, "decision": "accepted"}
    assert_error(api.post("/api/reviews/XA-2026/plan/system:nothing", body), 404)
    assert_error(api.post("/api/reviews/XA-2026/plan/nonsense", body), 404)
    assert_error(api.post("/api/reviews/XA-2026/plan/client:evidence", body), 404)  # no barrier
    assert_error(api.post("/api/reviews/XA-2026/plan/system:evidence/progress",
                          {"version": 1, "status": "done"}), 404)  # not decided yet
    assert not ActionItem.objects.exists()


def test_a_viewer_reads_the_plan_but_may_not_decide(barriers, client):
    api = as_api(client, barriers.xb_viewer)
    key, _version = _first_key(client, barriers.xb_viewer, "XB-2026")
    error = assert_error(api.post(f"/api/reviews/XB-2026/plan/{key}", {
        "version": 0, "decision": "accepted"}), 403, "forbidden")
    assert "current" not in error
    assert_error(api.post(f"/api/reviews/XB-2026/plan/{key}", "{}"), 403)
    assert not ActionItem.objects.exists()
    assert_error(api.get("/api/reviews/XA-2026/plan"), 404)
    assert_error(api.get("/api/reviews/XA-2026/analysis"), 404)
    assert_error(as_api(client, barriers.xa_lead).post(f"/api/reviews/XB-2026/plan/{key}", {
        "version": 0, "decision": "accepted"}), 404)


def test_a_final_review_takes_no_decision(barriers, client):
    key, _version = _first_key(client, barriers.xa_lead)
    barriers.xa_review.status = Status.FINAL
    barriers.xa_review.save()
    api = as_api(client, barriers.xa_lead)
    assert api.get("/api/reviews/XA-2026/plan").status_code == 200
    assert_error(api.post(f"/api/reviews/XA-2026/plan/{key}", {
        "version": 0, "decision": "accepted"}), 403, "review_final")
    assert not ActionItem.objects.exists()
