"""Signing in with an e-mail address; lockout after repeated failures; sessions expire."""

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password},
                       REMOTE_ADDR="127.0.0.9")


def test_a_person_signs_in_with_their_email_and_lands_on_their_reviews(cast, client):
    response = sign_in(client, "lead.xa@example.org", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("reviews:list")


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "lead.xa@example.org", "wrong")
        assert response.status_code in (200, 429)
    response = sign_in(client, "lead.xa@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_expire_after_inactivity_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 2 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_invited_contributor_gets_a_link_to_choose_a_password(cast, as_user, client):
    response = as_user(cast.xa_lead).post(
        reverse("reviews:members", args=[cast.xa_review.slug]),
        {"email": "New.Person@Example.org", "role": "contributor"}, follow=True)
    html = response.content.decode()
    assert "new.person@example.org can now work on Fictional XA" in html
    link = html.split("three days): ", 1)[1].split("<", 1)[0].strip()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    form = client.get(path, follow=True)
    assert "Choose a password" in form.content.decode()
    from acsreview.web.reviews.models import Membership

    assert Membership.objects.get(user__email="new.person@example.org").role == "contributor"


def test_inviting_someone_again_with_the_same_role_changes_nothing(cast, as_user):
    from acsreview.web.reviews.models import AuditEvent

    client = as_user(cast.xa_lead)
    members = reverse("reviews:members", args=[cast.xa_review.slug])
    client.post(members, {"email": "twice@example.org", "role": "viewer"})
    events = AuditEvent.objects.filter(object_type="membership").count()
    again = client.post(members, {"email": "twice@example.org", "role": "viewer"}, follow=True)
    assert ("twice@example.org already works on Fictional XA as Viewer: nothing changed."
            in again.content.decode())
    assert AuditEvent.objects.filter(object_type="membership").count() == events
    # and the page is in the review's menu, for those who may use it
    assert f'href="{members}" aria-current="page">People' in again.content.decode()
    plan = client.get(reverse("reviews:plan", args=[cast.xa_review.slug])).content.decode()
    assert f'href="{members}">People' in plan
    reader = as_user(cast.xb_viewer).get(reverse("reviews:plan", args=[cast.xb_review.slug]))
    assert ">People</a>" not in reader.content.decode()
