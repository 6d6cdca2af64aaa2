"""The consultation through the API: published aggregates only; a group under the
suppression threshold is never shown, alone or as a member of a published unit."""

import pytest

from acsreview.web.accounts.models import User
from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo
from acsreview.web.demo.consultations import SMALL_GROUP, THRESHOLD

from .api_client import as_api, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def units(body):
    for q in body["questions"]:
        yield from q["groups"]
        yield from (u for u in (q["overall"], q["cjs"], q["health"]) if u)
    yield from body["responses"]["groups"]


def test_a_group_under_the_threshold_is_never_shown(demo, client):
    viewer = User.objects.get(email__startswith="viewer.xb")
    response = as_api(client, viewer).get("/api/reviews/XB-2026/consultation")
    assert response.status_code == 200
    body = response.json()
    assert body["threshold"] == THRESHOLD and body["consultation"]["id"]
    assert body["questions"] and body["domains"]
    shown = list(units(body))
    assert shown
    for unit in shown:  # never apart: at most inside a pool that reaches the threshold
        assert unit["group"] != SMALL_GROUP and unit["n"] >= THRESHOLD
        if SMALL_GROUP in unit["members"]:
            assert unit["group"] in {"merged", "overall"}
    for q in body["questions"]:
        assert q["cjs"] is None or SMALL_GROUP not in q["cjs"]["members"]
        pooled = any(u["group"] == "merged" and SMALL_GROUP in u["members"]
                     for u in q["groups"])
        assert not (pooled and SMALL_GROUP in q["withheld"])  # pooled, or withheld
    # its responses alone are too few even pooled: withheld, and said to be
    assert SMALL_GROUP in body["responses"]["withheld"]
    assert SMALL_GROUP not in [u["group"] for u in body["responses"]["groups"]]
    assert body["responses"]["total"] == sum(u["n"] for u in body["responses"]["groups"])


def test_no_response_or_open_text_leaves_through_the_api(demo, client):
    from acsreview.web.demo.consultations import OPEN_TEXTS

    lead = User.objects.get(email=DEMO_LEAD_EMAIL)
    text = as_api(client, lead).get("/api/reviews/XA-2026/consultation").content.decode()
    for sentence in OPEN_TEXTS:
        assert sentence not in text
    assert "instanceID" not in text and "submitted_at" not in text


def test_the_divergence_the_demo_plants_is_flagged(demo, client):
    lead = User.objects.get(email=DEMO_LEAD_EMAIL)
    body = as_api(client, lead).get("/api/reviews/XA-2026/consultation").json()
    flagged = {q["question_id"] for q in body["questions"] if q["disagree"]}
    assert {"PRV-CJE-04", "PRV-HLE-04"} <= flagged
    question = next(q for q in body["questions"] if q["question_id"] == "PRV-CJE-04")
    assert question["divergence"] >= body["disagreement_points"]


def test_a_consultation_is_chosen_by_id_and_an_unknown_one_is_not_found(demo, client):
    lead = User.objects.get(email=DEMO_LEAD_EMAIL)
    api = as_api(client, lead)
    body = api.get("/api/reviews/XA-2026/consultation").json()
    chosen = body["consultations"][0]["id"]
    again = api.get("/api/reviews/XA-2026/consultation", consultation=chosen).json()
    assert again["consultation"]["id"] == chosen
    other = as_api(client, User.objects.get(email__startswith="coordinator")).get(
        "/api/reviews/XB-2026/consultation").json()["consultation"]["id"]
    # another review's consultation is not this review's
    assert_error(api.get("/api/reviews/XA-2026/consultation", consultation=other), 404)
    assert "consultation" in assert_error(
        api.get("/api/reviews/XA-2026/consultation", consultation="nope"), 422)["fields"]


def test_a_review_without_consultation_says_so(cast, client):
    body = as_api(client, cast.xa_lead).get("/api/reviews/XA-2026/consultation").json()
    assert body["consultation"] is None and body["consultations"] == []
    assert body["questions"] == [] and body["responses"] is None


def test_another_jurisdictions_consultation_is_not_found(demo, client):
    viewer = User.objects.get(email__startswith="viewer.xb")
    assert_error(as_api(client, viewer).get("/api/reviews/XA-2026/consultation"), 404)
