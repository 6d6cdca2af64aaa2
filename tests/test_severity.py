"""Severity from answer and polarity (docs/methodology.md)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsreview.core.scoring import effective_severity, severity


@pytest.mark.parametrize("answer, facilitator, barrier", [
    ("yes", 0, 2), ("partly", 1, 1), ("no", 2, 0),
    ("dont_know", None, None), ("not_applicable", None, None), (None, None, None),
])
def test_severity_follows_polarity(answer, facilitator, barrier):
    assert severity(answer, "facilitator") == facilitator
    assert severity(answer, "barrier") == barrier


def test_open_text_items_are_not_scored():
    assert severity("yes", None) is None


@given(st.sampled_from(["yes", "partly", "no"]))
def test_reversing_polarity_mirrors_severity(answer):
    assert severity(answer, "facilitator") + severity(answer, "barrier") == 2


def test_an_override_wins_over_the_computed_severity():
    assert effective_severity("yes", "facilitator", 2) == 2
    assert effective_severity("yes", "facilitator", None) == 0
