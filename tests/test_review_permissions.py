"""Every review view refuses whoever may not use it: 404 unseen, 403 seen but not allowed."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (url name, extra args, method) of the review views that read
READ_VIEWS = [
    ("reviews:detail", [], "get"),
    ("reviews:history", [], "get"),
    ("reviews:domain", ["SYS-REG"], "get"),
    ("reviews:principles", [], "get"),
    ("reviews:correspondents", [], "get"),
    ("reviews:inventory", [], "get"),
]


def url(name, review, extra=()):
    return reverse(name, args=[review.slug, *extra])


@pytest.mark.parametrize("name, extra, method", READ_VIEWS)
def test_reading_follows_roles(cast, as_user, client, name, extra, method):
    expect = {
        # persona: (XA review, XB review)
        "coordinator": (200, 200),
        "xa_lead": (200, 404),
        "xa_contributor": (200, 404),
        "xb_viewer": (404, 200),
        "outsider": (404, 404),
    }
    for persona, (xa, xb) in expect.items():
        c = as_user(getattr(cast, persona))
        assert c.get(url(name, cast.xa_review, extra)).status_code == xa, (persona, name)
        assert c.get(url(name, cast.xb_review, extra)).status_code == xb, (persona, name)
        c.logout()


@pytest.mark.parametrize("name, extra, method", READ_VIEWS)
def test_anonymous_visitors_are_sent_to_sign_in(cast, client, name, extra, method):
    response = client.get(url(name, cast.xa_review, extra))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def answer_post(client, review, item="SYS-REG-01", **data):
    return client.post(url("reviews:save_answer", review, [item]),
                       {"version": 0, "answer": "yes", **data})


def test_saving_an_answer_follows_roles(cast, as_user):
    assert answer_post(as_user(cast.xa_contributor), cast.xa_review).status_code == 302
    assert answer_post(as_user(cast.xa_lead), cast.xa_review, "SYS-REG-02").status_code == 302
    assert answer_post(as_user(cast.xb_viewer), cast.xb_review).status_code == 403
    assert answer_post(as_user(cast.xb_viewer), cast.xa_review).status_code == 404
    assert answer_post(as_user(cast.outsider), cast.xa_review).status_code == 404
    assert cast.xa_review.answers.count() == 2 and cast.xb_review.answers.count() == 0


def test_only_leads_and_coordinators_move_the_status(cast, as_user):
    status = url("reviews:status", cast.xa_review)
    assert as_user(cast.xa_contributor).post(status, {"to": "consultation"}).status_code == 403
    assert as_user(cast.outsider).post(status, {"to": "consultation"}).status_code == 404
    assert as_user(cast.xa_lead).post(status, {"to": "consultation"}).status_code == 302
    cast.xa_review.refresh_from_db()
    assert cast.xa_review.status == "consultation"


def test_only_leads_and_coordinators_invite_people(cast, as_user):
    members = url("reviews:members", cast.xa_review)
    assert as_user(cast.xa_contributor).get(members).status_code == 403
    assert as_user(cast.xb_viewer).get(members).status_code == 404
    assert as_user(cast.xa_lead).get(members).status_code == 200


def test_only_coordinators_manage_jurisdictions(cast, as_user):
    page = reverse("reviews:jurisdictions")
    assert as_user(cast.xa_lead).get(page).status_code == 403
    assert as_user(cast.coordinator).get(page).status_code == 200


def test_the_review_list_shows_only_what_a_person_may_read(cast, as_user):
    page = reverse("reviews:list")
    assert "XB-2026" not in as_user(cast.xa_lead).get(page).content.decode()
    assert "XA-2026" in as_user(cast.xa_lead).get(page).content.decode()
    outsider = as_user(cast.outsider).get(page).content.decode()
    assert "XA-2026" not in outsider and "XB-2026" not in outsider
    coordinator = as_user(cast.coordinator).get(page).content.decode()
    assert "XA-2026" in coordinator and "XB-2026" in coordinator


def test_a_membership_of_a_country_covers_its_regions(cast, as_user):
    from .factories import JurisdictionFactory, ReviewFactory

    region = JurisdictionFactory(code="XA-N", name="Northern XA", parent=cast.xa)
    review = ReviewFactory(jurisdiction=region, round=2026)
    assert as_user(cast.xa_lead).get(url("reviews:detail", review)).status_code == 200
    assert as_user(cast.xb_viewer).get(url("reviews:detail", review)).status_code == 404
