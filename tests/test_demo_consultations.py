"""The demo consultations: hundreds of synthetic responses, a withheld group, a disagreement."""

import re

import pytest
from django.urls import reverse

from acsreview.core.consultation import ANSWERS
from acsreview.web.accounts.models import User
from acsreview.web.consultations.models import Consultation, Response, ResponseAnswer
from acsreview.web.consultations.services.results import review_results
from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo
from acsreview.web.demo.consultations import OPEN_TEXTS, SIZES, SMALL_GROUP, build_consultations
from acsreview.web.reviews.models import Review

pytestmark = pytest.mark.django_db

DIVERGENT = "PRV-CJE-04"  # agreement with health partners around ACS intervention objectives


@pytest.fixture
def demo():
    return load_demo()


def answers_snapshot():
    return sorted(ResponseAnswer.objects.values_list(
        "response__consultation__review__slug", "response__instance_id", "response__group",
        "item_id", "answer", "text"))


def test_hundreds_of_responses_on_two_reviews(demo, instrument):
    slugs = set(Consultation.objects.values_list("review__slug", flat=True))
    assert slugs == {"XA-2026", "XB-2026"}
    for c in Consultation.objects.all():
        assert (c.languages, c.threshold) == (["en"], 5)
        counts = {g: c.responses.filter(group=g).count() for g in SIZES}
        assert counts == SIZES and sum(counts.values()) >= 250
        assert not c.responses.filter(submitted_at__isnull=True).exists()
    assert Response.objects.count() >= 500
    groups = {g.id for g in instrument.stakeholder_groups}
    assert set(Response.objects.values_list("group", flat=True)) <= groups
    assert all(re.fullmatch(r"demo-\d+", i) for i in
               Response.objects.values_list("instance_id", flat=True))
    assert set(Response.objects.values_list("source", flat=True)) <= {"web", "field"}
    assert not Response.objects.exclude(resume_key_hash="").exists()  # no device to resume
    assert set(ResponseAnswer.objects.exclude(answer="").values_list("answer", flat=True)) \
        <= set(ANSWERS)
    texts = set(ResponseAnswer.objects.exclude(text="").values_list("text", flat=True))
    assert texts and texts <= set(OPEN_TEXTS)


def test_deterministic_and_idempotent(demo, instrument):
    first = answers_snapshot()
    before = ResponseAnswer.objects.count()
    load_demo()
    assert ResponseAnswer.objects.count() == before  # a consultation already there is kept
    load_demo(reset=True)
    assert answers_snapshot() == first
    Consultation.objects.all().delete()
    reviews = {r.slug: r for r in Review.objects.all()}
    # Speed is for benchmarks, never a timed test (it fails on a busy machine).
    build_consultations(instrument, reviews)
    assert answers_snapshot() == first
    assert answers_snapshot() == first


def sign_in_as_lead(client):
    client.force_login(User.objects.get(email=DEMO_LEAD_EMAIL),
                       backend="django.contrib.auth.backends.ModelBackend")


def results_page(client, slug):
    response = client.get(reverse("consultations:results", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_small_group_is_withheld_on_the_results_page(demo, client):
    sign_in_as_lead(client)
    html = results_page(client, "XA-2026")
    assert SIZES[SMALL_GROUP] < 5
    withheld = '<tr class="withheld"><th scope="row">Prison</th><td colspan="9">' \
               "withheld (fewer than 5 answers)</td></tr>"
    assert withheld in html
    assert html.count('<th scope="row">Prison</th>') == html.count(
        '<tr class="withheld"><th scope="row">Prison</th>')  # never a row of figures
    for text in OPEN_TEXTS:
        assert text not in html
    for review in Review.objects.filter(slug__in=["XA-2026", "XB-2026"]):
        results = review_results(review)
        for q in results.questions.values():
            pooled = any(v.group == "merged" and SMALL_GROUP in v.members for v in q.groups)
            for view in [*q.groups, q.overall, q.cjs, q.health]:
                if view is not None:
                    assert view.n >= results.threshold
                    # only ever inside a merged pool of at least the threshold
                    assert SMALL_GROUP not in view.members or (
                        pooled and view.group in {"merged", "overall"})


def test_police_and_health_disagree_on_the_chosen_question(demo, client):
    review = Review.objects.get(slug="XA-2026")
    q = review_results(review).questions[DIVERGENT]
    groups = {v.group: v for v in q.groups}
    assert groups["police"].severity_index < 25 < 75 < groups["health"].severity_index
    assert q.divergence >= 50
    sign_in_as_lead(client)
    html = results_page(client, "XA-2026")
    block = re.search(rf'<article id="{DIVERGENT}">(.*?)</article>', html, re.S).group(1)
    assert "CJS and health disagree" in block
