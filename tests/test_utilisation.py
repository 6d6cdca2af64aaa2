"""The derived rates of a measure's figures: not known stays not known, never 0."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsreview.core.utilisation import (
    NOT_KNOWN,
    RATES,
    format_percentage,
    order_problems,
    percentage,
    rates,
)


def test_a_percentage_has_one_decimal_rounded_half_up():
    assert percentage(1, 3) == Decimal("33.3")
    assert percentage(2, 3) == Decimal("66.7")
    assert percentage(1, 8) == Decimal("12.5")
    assert percentage(49, 400) == Decimal("12.3")  # 12.25 rounds up, not to even
    assert percentage(5, 5) == Decimal("100.0")
    assert percentage(0, 7) == Decimal("0.0")


def test_a_missing_figure_makes_the_rate_not_known():
    assert percentage(None, 10) is None
    assert percentage(3, None) is None
    assert percentage(None, None) is None


def test_a_zero_denominator_makes_the_rate_not_known():
    assert percentage(0, 0) is None
    assert percentage(5, 0) is None


def test_more_than_the_denominator_is_allowed_above_100():
    assert percentage(30, 20) == Decimal("150.0")


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        percentage(-1, 10)
    with pytest.raises(ValueError, match="negative"):
        percentage(1, -10)


def test_the_four_rates_of_a_year():
    figures = {"eligible": 200, "referred": 50, "started": 40, "completed": 30, "breached": 6}
    assert rates(figures) == {"use_rate": Decimal("25.0"), "start_rate": Decimal("80.0"),
                              "completion_rate": Decimal("75.0"),
                              "breach_rate": Decimal("15.0")}


def test_rates_with_missing_figures_and_zero_denominators():
    assert rates({"eligible": None, "referred": 10, "started": 0, "completed": 0,
                  "breached": None}) == {
        "use_rate": None, "start_rate": Decimal("0.0"), "completion_rate": None,
        "breach_rate": None}
    assert rates({}) == {r.key: None for r in RATES}


def test_the_rates_divide_the_documented_figures():
    assert [(r.key, r.numerator, r.denominator) for r in RATES] == [
        ("use_rate", "referred", "eligible"), ("start_rate", "started", "referred"),
        ("completion_rate", "completed", "started"), ("breach_rate", "breached", "started")]


def test_format_percentage():
    assert format_percentage(Decimal("12.5")) == "12.5%"
    assert format_percentage(Decimal("7")) == "7.0%"
    assert format_percentage(None) == NOT_KNOWN == "\u2014"
    assert format_percentage(None, not_known="not known") == "not known"


def test_order_problems_only_where_both_figures_are_known():
    assert order_problems({"referred": 10, "started": 12, "completed": 13, "breached": 1}) == [
        ("started", "referred"), ("completed", "started")]
    assert order_problems({"referred": None, "started": 12, "completed": None,
                           "breached": 20}) == [("breached", "started")]
    assert order_problems({"referred": 10, "started": 10, "completed": 10,
                           "breached": 10}) == []
    assert order_problems({}) == []


counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9))


@given(counts, counts)
def test_a_percentage_is_known_exactly_when_both_figures_are_and_the_divisor_is_not_0(n, d):
    result = percentage(n, d)
    if n is None or d is None or d == 0:
        assert result is None
    else:
        assert result >= 0
        assert abs(result - Decimal(n) * 100 / Decimal(d)) <= Decimal("0.05")
        assert result == result.quantize(Decimal("0.1"))
