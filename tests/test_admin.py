"""The administration site belongs to coordinators; the audit trail there is read-only."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/admin/", "/admin/reviews/review/", "/admin/reviews/jurisdiction/",
         "/admin/reviews/membership/", "/admin/reviews/auditevent/", "/admin/accounts/user/"]


def test_coordinators_use_the_administration_site(cast, as_user):
    client = as_user(cast.coordinator)
    for page in PAGES:
        assert client.get(page).status_code == 200, page


def test_nobody_else_gets_in(cast, as_user):
    for persona in ("xa_lead", "xa_contributor", "xb_viewer", "outsider"):
        response = as_user(getattr(cast, persona)).get("/admin/reviews/review/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_audit_trail_cannot_be_edited_there(cast, as_user):
    from acsreview.web.reviews.services.audit import record

    event = record(cast.xa_lead, cast.xa_review, "answer", "SYS-REG-01", "update",
                   {"answer": "yes"}, {"answer": "no"})
    client = as_user(cast.coordinator)
    assert client.get("/admin/reviews/auditevent/add/").status_code == 403
    response = client.post(f"/admin/reviews/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
