"""Opening a consultation: who may, the links per group, closing and reopening, QR codes."""

import pytest
from django.urls import reverse

from acsreview.web.consultations.models import Consultation, Link, Response
from acsreview.web.reviews.models import AuditEvent, Status

pytestmark = pytest.mark.django_db

GROUPS = ["police", "judges", "health"]


def form_data(**extra):
    return {"title": "Round one", "groups": GROUPS, "languages": ["en", "fr"],
            "closes_at": "", "max_responses": "", "threshold": "5", **extra}


def new_url(review):
    return reverse("consultations:new", args=[review.slug])


def list_url(review):
    return reverse("consultations:list", args=[review.slug])


def open_consultation(client, review, **extra):
    return client.post(new_url(review), form_data(**extra))


@pytest.mark.parametrize("persona, status", [
    ("coordinator", 302), ("xa_lead", 302), ("xa_contributor", 403), ("xb_viewer", 404),
    ("outsider", 404)])
def test_opening_a_consultation_follows_roles(cast, as_user, persona, status):
    client = as_user(getattr(cast, persona))
    assert client.get(new_url(cast.xa_review)).status_code == (200 if status == 302 else status)
    assert open_consultation(client, cast.xa_review).status_code == status
    assert Consultation.objects.filter(review=cast.xa_review).count() == (status == 302)


@pytest.mark.parametrize("persona, status", [
    ("coordinator", 200), ("xa_lead", 200), ("xa_contributor", 200), ("xb_viewer", 404),
    ("outsider", 404)])
def test_the_list_follows_roles(cast, as_user, persona, status):
    assert as_user(getattr(cast, persona)).get(list_url(cast.xa_review)).status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(cast, client):
    response = client.get(list_url(cast.xa_review))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_one_link_per_chosen_group_and_an_audit_event(cast, as_user):
    client = as_user(cast.xa_lead)
    response = open_consultation(client, cast.xa_review, closes_at="2099-01-01T12:00",
                                 max_responses="40", threshold="7")
    assert response.status_code == 302 and response["Location"] == list_url(cast.xa_review)
    c = Consultation.objects.get(review=cast.xa_review)
    assert (c.title, c.languages, c.max_responses, c.threshold) == (
        "Round one", ["en", "fr"], 40, 7)
    assert c.closes_at.year == 2099 and c.created_by == cast.xa_lead
    links = {lk.group: lk for lk in c.links.all()}
    assert sorted(links) == sorted(GROUPS)
    assert all(lk.is_open and len(lk.token) >= 32 for lk in links.values())
    assert len({lk.token for lk in links.values()}) == 3
    event = AuditEvent.objects.get(review=cast.xa_review, object_type="consultation")
    assert event.action == "create" and event.user == cast.xa_lead
    assert event.after["groups"] == ["police", "judges", "health"]

    page = client.get(list_url(cast.xa_review)).content.decode()
    for lk in links.values():
        assert f"http://testserver/c/{lk.token}/" in page
    assert page.count("<svg") == 3
    assert 'aria-current="page">Consultation<' in page


def test_the_form_offers_the_instruments_groups_and_languages(cast, as_user):
    page = as_user(cast.xa_lead).get(new_url(cast.xa_review)).content.decode()
    for group in ["police", "prosecutors", "judges", "probation", "prison", "health",
                  "social", "participants", "ngo"]:
        assert f'value="{group}"' in page
    for lang in ["en", "fr", "de"]:
        assert f'name="languages" value="{lang}"' in page
    assert 'name="threshold" value="5"' in page


@pytest.mark.parametrize("field, value", [
    ("threshold", "2"), ("threshold", "0"), ("threshold", "abc"), ("threshold", ""),
    ("groups", []), ("groups", ["wizards"]), ("languages", []), ("languages", ["xx"]),
    ("max_responses", "0"), ("closes_at", "2001-01-01T00:00"), ("closes_at", "soon")])
def test_invalid_input_is_refused_with_a_field_error(cast, as_user, field, value):
    response = open_consultation(as_user(cast.xa_lead), cast.xa_review, **{field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Consultation.objects.exists() and not Link.objects.exists()


def test_the_threshold_defaults_to_the_setting(cast, as_user, settings):
    settings.ACSREVIEW_SUPPRESSION_THRESHOLD = 8
    page = as_user(cast.xa_lead).get(new_url(cast.xa_review)).content.decode()
    assert 'name="threshold" value="8"' in page


def test_a_final_review_gets_no_new_consultation(cast, as_user):
    cast.xa_review.status = Status.FINAL
    cast.xa_review.save()
    client = as_user(cast.xa_lead)
    assert client.get(new_url(cast.xa_review)).status_code == 403
    assert open_consultation(client, cast.xa_review).status_code == 403
    assert not Consultation.objects.exists()
    assert new_url(cast.xa_review) not in client.get(list_url(cast.xa_review)).content.decode()


def the_link(cast, as_user, group="police"):
    open_consultation(as_user(cast.xa_lead), cast.xa_review)
    return Link.objects.get(group=group)


def toggle_url(review, link):
    return reverse("consultations:link_toggle", args=[review.slug, link.pk])


def test_a_lead_closes_and_reopens_a_link(cast, as_user):
    link = the_link(cast, as_user)
    client = as_user(cast.xa_lead)
    assert client.post(toggle_url(cast.xa_review, link)).status_code == 302
    link.refresh_from_db()
    assert not link.is_open
    assert client.get(reverse("survey:start", args=[link.token])).status_code == 410
    assert client.post(toggle_url(cast.xa_review, link)).status_code == 302
    link.refresh_from_db()
    assert link.is_open
    actions = list(AuditEvent.objects.filter(object_type="consultation_link")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["close", "reopen"]


@pytest.mark.parametrize("persona, status", [
    ("coordinator", 302), ("xa_lead", 302), ("xa_contributor", 403), ("xb_viewer", 404),
    ("outsider", 404)])
def test_toggling_follows_roles(cast, as_user, persona, status):
    link = the_link(cast, as_user)
    client = as_user(getattr(cast, persona))
    assert client.post(toggle_url(cast.xa_review, link)).status_code == status
    link.refresh_from_db()
    assert link.is_open == (status != 302)


def test_toggling_needs_a_post_and_the_links_own_review(cast, as_user):
    link = the_link(cast, as_user)
    client = as_user(cast.coordinator)
    assert client.get(toggle_url(cast.xa_review, link)).status_code == 405
    assert client.post(toggle_url(cast.xb_review, link)).status_code == 404
    link.refresh_from_db()
    assert link.is_open


def test_the_qr_code_is_served_as_svg(cast, as_user):
    link = the_link(cast, as_user)
    url = reverse("consultations:qr", args=[cast.xa_review.slug, link.pk])
    response = as_user(cast.xa_contributor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    assert f"XA-2026-{link.group}.svg" in response["Content-Disposition"]
    body = response.content.decode()
    assert "<svg" in body and 'xmlns="http://www.w3.org/2000/svg"' in body
    assert as_user(cast.outsider).get(url).status_code == 404
    other = reverse("consultations:qr", args=[cast.xb_review.slug, link.pk])
    assert as_user(cast.coordinator).get(other).status_code == 404


def test_counts_below_the_threshold_are_not_shown_exactly(cast, as_user):
    from django.utils import timezone

    open_consultation(as_user(cast.xa_lead), cast.xa_review, threshold="5")
    c = Consultation.objects.get()
    for i in range(6):
        Response.objects.create(consultation=c, group="police", instance_id=f"p{i}",
                                submitted_at=timezone.now())
    for i in range(2):
        Response.objects.create(consultation=c, group="judges", instance_id=f"j{i}",
                                submitted_at=timezone.now())
    Response.objects.create(consultation=c, group="judges", instance_id="j-open")
    response = as_user(cast.xa_lead).get(list_url(cast.xa_review))
    rows = {r["link"].group: r for b in response.context["blocks"] for r in b["rows"]}
    assert rows["police"]["submitted"] == {"n": 6, "suppressed": False}
    assert rows["judges"]["submitted"]["suppressed"]
    assert rows["judges"]["in_progress"]["suppressed"]
    assert rows["health"]["submitted"] == {"n": 0, "suppressed": False}
    page = response.content.decode()
    assert page.count("fewer than 5") == 2


def test_a_cap_below_the_threshold_is_refused_as_it_would_reveal_a_small_count(cast, as_user):
    response = open_consultation(as_user(cast.xa_lead), cast.xa_review, max_responses="2",
                                 threshold="5")
    assert "max_responses" in response.context["form"].errors
    assert not Consultation.objects.exists()
