"""A new round starts from the previous one: carried over until confirmed or changed."""

import pytest
from django.urls import reverse

from acsreview.web.reviews.models import Answer, ContextIndicator, Measure, MeasureStat, Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def previous(cast):
    old = Review.objects.create(jurisdiction=cast.xa, round=2024, instrument_id="acs-diagnostic",
                                instrument_version="1.0", status="final")
    Answer.objects.create(review=old, item_id="SYS-REG-01", answer="no", evidence="old",
                          version=3)
    Answer.objects.create(review=old, item_id="SYS-REG-02", answer="yes", version=1)
    Answer.objects.create(review=old, item_id="GONE-01", answer="yes", version=1)
    m = Measure.objects.create(review=old, name="Diversion scheme", measure_type="treatment",
                               stage="police_arrest")
    MeasureStat.objects.create(measure=m, year=2023, eligible=100, referred=None)
    ContextIndicator.objects.create(review=old, year=2023, indicator="prison_population",
                                    value=1000, source="annual report")
    return old


def test_starting_a_round_from_the_previous_one_carries_everything_over(cast, as_user,
                                                                        previous):
    client = as_user(cast.xa_lead)
    response = client.post(reverse("reviews:new"), {
        "jurisdiction": cast.xa.pk, "round": 2028, "instrument": "acs-diagnostic@1.0",
        "carry_from": previous.pk})
    assert response.status_code == 302
    new = Review.objects.get(slug="XA-2028")
    assert new.carried_from == previous and new.status == "draft"
    answers = {a.item_id: a for a in new.answers.all()}
    assert set(answers) == {"SYS-REG-01", "SYS-REG-02"}  # items the version lacks stay behind
    assert answers["SYS-REG-01"].carried_over and answers["SYS-REG-01"].evidence == "old"
    assert answers["SYS-REG-01"].version == 0
    measure = new.measures.get()
    assert measure.carried_over
    stat = measure.stats.get()
    assert stat.eligible == 100 and stat.referred is None  # not known stays not known
    assert new.indicators.get().carried_over
    # the old round is untouched
    assert previous.answers.count() == 3 and previous.measures.count() == 1

    html = client.get(reverse("reviews:domain", args=[new.slug, "SYS-REG"])).content.decode()
    assert "Carried over from the previous round." in html
    detail = client.get(reverse("reviews:detail", args=[new.slug])).content.decode()
    assert "2 answers are carried over from the previous round" in detail


def test_confirming_or_changing_an_answer_clears_the_carried_over_mark(cast, as_user, previous):
    from acsreview.web.reviews.services.workflow import start_review

    new = start_review(cast.xa, 2028, "acs-diagnostic", "1.0", cast.xa_lead,
                       carry_from=previous)
    client = as_user(cast.xa_lead)
    url = reverse("reviews:save_answer", args=[new.slug, "SYS-REG-01"])
    client.post(url, {"version": 0, "confirm": "1", "answer": "no"})
    confirmed = new.answers.get(item_id="SYS-REG-01")
    assert not confirmed.carried_over and confirmed.answer == "no" and confirmed.version == 1
    client.post(reverse("reviews:save_answer", args=[new.slug, "SYS-REG-02"]),
                {"version": 0, "answer": "partly"})
    changed = new.answers.get(item_id="SYS-REG-02")
    assert not changed.carried_over and changed.answer == "partly"


def test_a_round_cannot_be_started_twice_or_from_another_jurisdiction(cast, as_user, previous):
    client = as_user(cast.coordinator)
    response = client.post(reverse("reviews:new"), {
        "jurisdiction": cast.xa.pk, "round": 2026, "instrument": "acs-diagnostic@1.0"})
    assert "already has a review for that round" in response.content.decode()
    response = client.post(reverse("reviews:new"), {
        "jurisdiction": cast.xb.pk, "round": 2030, "instrument": "acs-diagnostic@1.0",
        "carry_from": previous.pk})
    assert "same jurisdiction" in response.content.decode()
    assert not Review.objects.filter(round=2030).exists()


def test_only_leads_of_the_jurisdiction_start_its_reviews(cast, as_user):
    client = as_user(cast.xa_lead)
    response = client.post(reverse("reviews:new"), {
        "jurisdiction": cast.xb.pk, "round": 2030, "instrument": "acs-diagnostic@1.0"})
    assert response.status_code == 200  # XB is not a choice for the XA lead
    assert not Review.objects.filter(round=2030).exists()
    assert as_user(cast.xa_contributor).get(reverse("reviews:new")).status_code == 403


def test_a_round_is_never_carried_over_from_a_later_one(cast, as_user, previous):
    client = as_user(cast.xa_lead)
    response = client.post(reverse("reviews:new"), {
        "jurisdiction": cast.xa.pk, "round": previous.round - 1,
        "instrument": "acs-diagnostic@1.0", "carry_from": previous.pk})
    assert response.status_code == 200
    assert "Carry over from an earlier round." in response.content.decode()
    assert not Review.objects.filter(jurisdiction=cast.xa, round=previous.round - 1).exists()
