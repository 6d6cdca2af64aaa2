"""The interface language: chosen at the foot of any page, remembered per signed-in person
and applied when they sign in again, on another browser; respondents keep the cookie alone."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from acsreview.web.accounts.models import User

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.9")
    assert response.status_code == 302, "not signed in"
    return response


def choose(client, language, next_url="/reviews/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_a_choice_is_remembered_and_applied_on_the_next_sign_in_elsewhere(cast, client):
    sign_in(client, cast.xa_lead)
    response = choose(client, "fr")
    assert response.status_code == 302 and response["Location"] == "/reviews/"
    assert '<html lang="fr">' in client.get("/reviews/").content.decode()
    cast.xa_lead.refresh_from_db()
    assert cast.xa_lead.language == "fr"
    assert cast.xa_lead.language in dict(settings.LANGUAGES)
    client.post(reverse("logout"))

    elsewhere = Client()  # another browser: no language cookie
    sign_in(elsewhere, cast.xa_lead)
    assert elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    html = elsewhere.get("/reviews/").content.decode()
    assert '<html lang="fr">' in html
    assert "Se déconnecter" in html and "Examens" in html


def test_a_later_choice_replaces_the_remembered_one(cast, client):
    sign_in(client, cast.xa_lead)
    choose(client, "de")
    choose(client, "en")
    cast.xa_lead.refresh_from_db()
    assert cast.xa_lead.language == "en"


def test_a_language_the_app_does_not_offer_is_refused(cast, client):
    sign_in(client, cast.xa_lead)
    choose(client, "fr")
    for bad in ["xx", "", "fr-ca", "<script>"]:
        response = choose(client, bad)
        assert response.status_code == 400, bad
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    cast.xa_lead.refresh_from_db()
    assert cast.xa_lead.language == "fr"


def test_choosing_needs_a_post(cast, client):
    sign_in(client, cast.xa_lead)
    assert client.get(reverse("set_language"), {"language": "fr"}).status_code == 405
    cast.xa_lead.refresh_from_db()
    assert cast.xa_lead.language == ""


def test_signing_in_without_a_remembered_language_keeps_the_browsers(cast, client):
    choose(client, "de", next_url="/")  # chosen before signing in
    response = sign_in(client, cast.xa_lead)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="de">' in client.get("/reviews/").content.decode()


def test_a_visitor_who_is_not_signed_in_keeps_the_cookie_alone(cast, client):
    response = choose(client, "fr", next_url="/")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()
    assert not User.objects.exclude(language="").exists()
