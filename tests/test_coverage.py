"""CJS-stage coverage of the inventory: stage x measure type, empty stages flagged."""

import pytest
from django.urls import reverse

from acsreview.core.coverage import coverage

STAGES = ["police_arrest", "prosecution", "court_pretrial", "sentencing", "post_sentence"]
TYPES = ["non_intervention", "treatment", "drug_treatment_order", "drug_court"]


def test_measures_fall_into_their_stage_and_type_and_empty_stages_are_flagged():
    result = coverage([("Order A", "sentencing", "drug_treatment_order"),
                       ("Court B", "sentencing", "drug_court"),
                       ("Waiver C", "prosecution", "non_intervention"),
                       ("Local D", "sentencing", "drug_treatment_order")], STAGES, TYPES)
    assert result.cells[("sentencing", "drug_treatment_order")] == ["Local D", "Order A"]
    assert result.per_stage == {"police_arrest": 0, "prosecution": 1, "court_pretrial": 0,
                                "sentencing": 3, "post_sentence": 0}
    assert result.empty_stages == ["police_arrest", "court_pretrial", "post_sentence"]
    assert result.types == ["non_intervention", "drug_treatment_order", "drug_court"]


def test_a_reviews_own_type_is_kept_after_the_instruments():
    result = coverage([("X", "prosecution", "local_scheme"), ("Y", "prosecution", "treatment")],
                      STAGES, TYPES)
    assert result.types == ["treatment", "local_scheme"]


def test_an_empty_inventory_flags_every_stage():
    assert coverage([], STAGES, TYPES).empty_stages == STAGES


@pytest.mark.django_db
def test_the_inventory_page_shows_the_coverage_and_the_gaps(cast, as_user):
    from acsreview.web.reviews.models import Measure

    Measure.objects.create(review=cast.xa_review, name="Drug treatment order",
                           measure_type="drug_treatment_order", stage="sentencing")
    html = as_user(cast.xa_contributor).get(
        reverse("reviews:inventory", args=[cast.xa_review.slug])).content.decode()
    assert "Coverage of the criminal justice system" in html
    assert ("No measure at these stages:</strong> Police / arrest, Prosecution, "
            "Court (pre-trial), Post-sentence (prison, parole).") in html
