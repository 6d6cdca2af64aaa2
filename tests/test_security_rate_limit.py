"""Rate limits: sign-ins (django-axes) and new anonymous survey responses, with no address kept.

One network address may start ACSREVIEW_SURVEY_RATE new responses an hour on one link;
past that it gets a friendly 429 page and nothing is stored. The count is kept in the cache
under a keyed hash of the address and the link, never the address itself.
"""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from acsreview.web.consultations.models import Consultation, Link, Response
from acsreview.web.consultations.services.responses import RESUME_COOKIE
from acsreview.web.ratelimit import client_address

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def links(cast):
    c = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    return [Link.objects.create(consultation=c, group=g) for g in ("police", "health")]


def start(link, address=ADDRESS, client=None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post(reverse("survey:start", args=[link.token]), {"language": "en"})


def test_an_address_starting_too_many_surveys_on_a_link_is_asked_to_wait(links, settings):
    settings.ACSREVIEW_SURVEY_RATE = 3
    police = links[0]
    for _ in range(3):
        assert start(police).status_code == 302
    refused = start(police)
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Please try again later" in text
    assert "Many surveys have just been started through this link from your network" in text
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert RESUME_COOKIE not in refused.cookies
    assert Response.objects.count() == 3


def test_other_addresses_and_other_links_are_not_held_back(links, settings):
    settings.ACSREVIEW_SURVEY_RATE = 1
    police, health = links
    assert start(police).status_code == 302
    assert start(police).status_code == 429
    assert start(police, address="198.51.100.9").status_code == 302
    assert start(health).status_code == 302
    assert Response.objects.count() == 3


def test_a_respondent_already_started_goes_on_when_the_address_is_held_back(links, settings):
    settings.ACSREVIEW_SURVEY_RATE = 1
    police = links[0]
    respondent = Client(REMOTE_ADDR=ADDRESS)
    assert start(police, client=respondent).status_code == 302
    assert start(police).status_code == 429  # someone else on the same network
    resumed = start(police, client=respondent)
    assert resumed.status_code == 302
    assert resumed["Location"] == reverse("survey:page", args=[police.token, 1])
    page = respondent.post(reverse("survey:page", args=[police.token, 1]), {})
    assert page.status_code == 302
    assert Response.objects.count() == 1


def test_zero_turns_the_limit_off(links, settings):
    settings.ACSREVIEW_SURVEY_RATE = 0
    for _ in range(5):
        assert start(links[0]).status_code == 302


def test_the_cache_keeps_neither_the_address_nor_the_link(links, settings):
    settings.ACSREVIEW_SURVEY_RATE = 5
    start(links[0])
    keys = list(cache._cache.keys())  # the local-memory cache of the test run
    assert keys, "the start was counted"
    for key in keys:
        assert ADDRESS not in key and links[0].token not in key
    assert Response.objects.get().__dict__.keys().isdisjoint({"ip", "ip_address", "address"})


def test_behind_proxies_the_address_comes_from_x_forwarded_for(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2",
                                   HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7, 10.0.0.1")
    settings.ACSREVIEW_PROXIES = 0
    assert client_address(request) == "10.0.0.2"
    settings.ACSREVIEW_PROXIES = 1
    assert client_address(request) == "10.0.0.1"
    settings.ACSREVIEW_PROXIES = 2
    assert client_address(request) == "203.0.113.7"  # what the visitor wrote is never used
    bare = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    assert client_address(bare) == "10.0.0.2"


def test_sign_ins_are_limited_by_django_axes_per_account_and_address(cast, settings):
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_CLIENT_IP_CALLABLE == "acsreview.web.ratelimit.client_address"
    client = Client(REMOTE_ADDR=ADDRESS)
    for _ in range(5):
        client.post(reverse("login"), {"username": cast.xa_lead.email, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": cast.xa_lead.email,
                                            "password": "correct horse battery staple"})
    assert locked.status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.9").post(
        reverse("login"), {"username": cast.xa_lead.email,
                           "password": "correct horse battery staple"})
    assert other.status_code == 302
