"""Jurisdictions and reviews through the API: each person sees what the web shows them,
paged, and nothing of a review they may not read."""

import pytest

from acsreview.web.reviews.models import Jurisdiction, Status

from .api_client import as_api, assert_error
from .factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_jurisdictions_are_those_a_person_has_a_role_in(cast, client):
    lead = as_api(client, cast.xa_lead).get("/api/jurisdictions").json()
    assert lead["count"] == 1
    assert lead["items"] == [{"code": "XA", "name": "Fictional XA", "parent": None,
                              "is_demo": True, "role": "lead"}]
    everyone = as_api(client, cast.coordinator).get("/api/jurisdictions", limit=200).json()
    codes = [j["code"] for j in everyone["items"]]
    assert everyone["count"] == Jurisdiction.objects.count() == len(codes)
    assert codes == sorted(codes) and {"XA", "XB"} <= set(codes)
    assert {j["role"] for j in everyone["items"]} == {"coordinator"}
    assert as_api(client, cast.outsider).get("/api/jurisdictions").json()["count"] == 0


def test_a_role_covers_the_regions_below(cast, client):
    region = Jurisdiction.objects.create(code="XA-N", name="North", parent=cast.xa)
    ReviewFactory(jurisdiction=region, round=2026)
    api = as_api(client, cast.xa_contributor)
    items = api.get("/api/jurisdictions").json()["items"]
    assert [(j["code"], j["parent"], j["role"]) for j in items] == [
        ("XA", None, "contributor"), ("XA-N", "XA", "contributor")]
    assert api.get("/api/reviews/XA-N-2026").json()["role"] == "contributor"


def test_a_reader_lists_their_own_reviews_only(cast, client):
    body = as_api(client, cast.xb_viewer).get("/api/reviews").json()
    assert body["count"] == 1
    (review,) = body["items"]
    assert review["slug"] == "XB-2026" and review["role"] == "viewer"
    assert review["can_edit"] is False and review["status"] == "draft"
    assert as_api(client, cast.outsider).get("/api/reviews").json() == {
        "count": 0, "limit": 50, "offset": 0, "items": []}


def test_the_review_list_is_paged_with_the_count_of_all(cast, client):
    for year in range(2018, 2026):
        ReviewFactory(jurisdiction=cast.xa, round=year)
    api = as_api(client, cast.coordinator)
    everything = api.get("/api/reviews", limit=200).json()
    slugs = [r["slug"] for r in everything["items"]]
    assert everything["count"] == len(slugs) == 10
    assert slugs[:3] == ["XA-2026", "XA-2025", "XA-2024"] and slugs[-1] == "XB-2026"
    page = api.get("/api/reviews", limit=3, offset=2).json()
    assert page["count"] == 10 and page["limit"] == 3 and page["offset"] == 2
    assert [r["slug"] for r in page["items"]] == slugs[2:5]
    past_the_end = api.get("/api/reviews", offset=50).json()
    assert past_the_end["count"] == 10 and past_the_end["items"] == []
    xa = api.get("/api/reviews", jurisdiction="xa", round=2020).json()
    assert [r["slug"] for r in xa["items"]] == ["XA-2020"]
    assert api.get("/api/reviews", status="final").json()["count"] == 0


@pytest.mark.parametrize("params, field", [({"limit": 0}, "limit"), ({"limit": 201}, "limit"),
                                           ({"offset": -1}, "offset"),
                                           ({"offset": 10**20}, "offset"),
                                           ({"round": "\x00"}, "round"),
                                           ({"limit": "ten"}, "limit"),
                                           ({"status": "done"}, "status"),
                                           ({"jurisdiction": "X A"}, "jurisdiction")])
def test_a_bad_parameter_is_422_naming_it(cast, client, params, field):
    error = assert_error(as_api(client, cast.xa_lead).get("/api/reviews", **params), 422,
                         "invalid")
    assert list(error["fields"]) == [field]


def test_a_review_in_detail(cast, client):
    body = as_api(client, cast.xa_lead).get("/api/reviews/XA-2026").json()
    assert body["slug"] == "XA-2026" and body["jurisdiction"] == "XA"
    assert body["role"] == "lead" and body["can_edit"] is True
    assert body["items"] > 60 and body["answered"] == 0 and body["measures"] == 0
    assert body["overall_index"] is None and body["overall_scored"] == 0


def test_another_jurisdictions_review_is_not_found(cast, client):
    api = as_api(client, cast.xa_lead)
    for path in ("/api/reviews/XB-2026", "/api/reviews/XB-2026/answers",
                 "/api/reviews/XB-2026/measures", "/api/reviews/XB-2026/indicators",
                 "/api/reviews/XB-2026/consultation", "/api/reviews/XB-2026/analysis",
                 "/api/reviews/XB-2026/plan", "/api/reviews/NOPE-2026",
                 "/api/reviews/%00"):
        error = assert_error(api.get(path), 404, "not_found")
        assert "XB" not in str(error)
    assert_error(as_api(client, cast.outsider).get("/api/reviews/XA-2026"), 404)


def test_a_final_review_says_it_cannot_be_edited(cast, client):
    cast.xa_review.status = Status.FINAL
    cast.xa_review.save()
    assert as_api(client, cast.xa_lead).get("/api/reviews/XA-2026").json()["can_edit"] is False
