"""The derived rates of a measure's figures and their trend over the years: not known stays
not known, never 0, and a change skips the years in which a rate is not known."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsreview.core.utilisation import (
    NOT_KNOWN,
    PER_100_OFFENCES,
    RATES,
    TREND_KEYS,
    RateTrend,
    direction,
    format_percentage,
    measure_trend,
    order_problems,
    per_100_offences,
    percentage,
    rates,
    trend_summary,
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


# --- orders per 100 drug-law offences ------------------------------------------------------

def test_orders_per_100_drug_law_offences_have_one_decimal_rounded_half_up():
    assert per_100_offences(50, 1000) == Decimal("5.0")
    assert per_100_offences(45, 1200) == Decimal("3.8")  # 3.75 rounds up, not to even
    assert per_100_offences(7, Decimal("80.5")) == Decimal("8.7")  # 8.695...
    assert per_100_offences(0, 300) == Decimal("0.0")
    assert per_100_offences(300, 200) == Decimal("150.0")


def test_orders_per_100_offences_are_not_known_without_both_figures_or_with_no_offences():
    assert per_100_offences(None, 1000) is None
    assert per_100_offences(50, None) is None
    assert per_100_offences(50, 0) is None
    assert per_100_offences(50, Decimal("0.00")) is None


def test_negative_orders_or_offences_are_refused():
    with pytest.raises(ValueError, match="negative"):
        per_100_offences(-1, 100)
    with pytest.raises(ValueError, match="negative"):
        per_100_offences(1, Decimal("-5"))


# --- the trend over a measure's years ------------------------------------------------------

#: Three years; 2023 has no eligible cases nor completions known, nor drug-law offences.
YEARS = {
    2024: {"eligible": 250, "referred": 70, "started": 63, "completed": 42, "breached": None},
    2022: {"eligible": 200, "referred": 50, "started": 40, "completed": 30, "breached": 4},
    2023: {"eligible": None, "referred": 60, "started": 45, "completed": None,
           "breached": None},
}
OFFENCES = {2022: Decimal("1000"), 2023: None, 2024: 1400}


def test_the_trend_has_every_year_in_order_with_its_rates():
    trend = measure_trend(YEARS, OFFENCES)
    assert [y.year for y in trend] == [2022, 2023, 2024]
    assert trend[0].values == {"use_rate": Decimal("25.0"), "start_rate": Decimal("80.0"),
                               "completion_rate": Decimal("75.0"),
                               "breach_rate": Decimal("10.0"),
                               "per_100_offences": Decimal("5.0")}
    assert trend[1].values == {"use_rate": None, "start_rate": Decimal("75.0"),
                               "completion_rate": None, "breach_rate": None,
                               "per_100_offences": None}
    assert trend[2].values == {"use_rate": Decimal("28.0"), "start_rate": Decimal("90.0"),
                               "completion_rate": Decimal("66.7"), "breach_rate": None,
                               "per_100_offences": Decimal("5.0")}
    assert set(trend[0].values) == set(TREND_KEYS) == {r.key for r in RATES} | {
        PER_100_OFFENCES}


def test_a_change_is_from_the_last_earlier_year_in_which_the_rate_was_known():
    first, middle, last = measure_trend(YEARS, OFFENCES)
    assert first.changes == {k: None for k in TREND_KEYS}  # nothing earlier
    assert first.since == {k: None for k in TREND_KEYS}
    # 2023: the start rate fell from 80.0 to 75.0; the others are not known
    assert middle.changes == {"use_rate": None, "start_rate": Decimal("-5.0"),
                              "completion_rate": None, "breach_rate": None,
                              "per_100_offences": None}
    assert middle.since["start_rate"] == 2022 and middle.since["use_rate"] is None
    # 2024: use, completion and per 100 offences skip 2023, where they were not known
    assert last.changes == {"use_rate": Decimal("3.0"), "start_rate": Decimal("15.0"),
                            "completion_rate": Decimal("-8.3"), "breach_rate": None,
                            "per_100_offences": Decimal("0.0")}
    assert last.since == {"use_rate": 2022, "start_rate": 2023, "completion_rate": 2022,
                          "breach_rate": None, "per_100_offences": 2022}


def test_without_offences_per_100_is_not_known_in_every_year():
    assert [y.values[PER_100_OFFENCES] for y in measure_trend(YEARS)] == [None] * 3
    assert [y.values[PER_100_OFFENCES] for y in measure_trend(YEARS, {2021: 500})] == [
        None] * 3


def test_a_year_with_nothing_known_has_no_rate_and_no_change():
    trend = measure_trend({2022: {"eligible": 10, "referred": 5}, 2023: {},
                           2024: {k: None for k in ("eligible", "referred", "started",
                                                    "completed", "breached")}},
                          {2023: 100, 2024: 100})
    for year in trend[1:]:
        assert year.values == {k: None for k in TREND_KEYS}
        assert year.changes == {k: None for k in TREND_KEYS}
        assert year.since == {k: None for k in TREND_KEYS}


def test_no_years_make_an_empty_trend():
    assert measure_trend({}, OFFENCES) == []
    assert trend_summary([]) == {k: RateTrend(None, None, None, None, None)
                                 for k in TREND_KEYS}


def test_direction_of_a_change():
    assert direction(Decimal("0.1")) == "up"
    assert direction(Decimal("-8.3")) == "down"
    assert direction(Decimal("0.0")) == "flat"
    assert direction(None) is None


def test_the_summary_gives_the_first_and_last_known_year_and_the_direction():
    summary = trend_summary(measure_trend(YEARS, OFFENCES))
    assert summary["use_rate"] == RateTrend(2022, Decimal("25.0"), 2024, Decimal("28.0"),
                                            "up")
    assert summary["completion_rate"] == RateTrend(2022, Decimal("75.0"), 2024,
                                                   Decimal("66.7"), "down")
    assert summary["per_100_offences"] == RateTrend(2022, Decimal("5.0"), 2024,
                                                    Decimal("5.0"), "flat")
    # the breach rate is known in 2022 only: no direction from one value
    assert summary["breach_rate"] == RateTrend(2022, Decimal("10.0"), 2022, Decimal("10.0"),
                                               None)
    assert trend_summary(measure_trend({2024: {}}))["use_rate"] == RateTrend(
        None, None, None, None, None)


def test_the_docstring_examples_hold():
    import doctest

    from acsreview.core import utilisation

    assert doctest.testmod(utilisation).failed == 0


figure_names = ("eligible", "referred", "started", "completed", "breached")
year_figures = st.fixed_dictionaries({k: counts for k in figure_names})
measure_years = st.dictionaries(st.integers(min_value=1990, max_value=2100), year_figures,
                                max_size=8)
offence_values = st.one_of(st.none(), st.integers(min_value=0, max_value=10**6),
                           st.decimals(min_value=0, max_value=10**6, places=2))


@given(measure_years, st.dictionaries(st.integers(min_value=1990, max_value=2100),
                                      offence_values))
def test_a_rate_is_never_computed_from_a_figure_that_is_not_known(years, offences):
    for year in measure_trend(years, offences):
        figures = years[year.year]
        for r in RATES:
            if figures[r.numerator] is None or figures[r.denominator] is None:
                assert year.values[r.key] is None
        if figures["referred"] is None or offences.get(year.year) is None:
            assert year.values[PER_100_OFFENCES] is None


@given(measure_years, st.dictionaries(st.integers(min_value=1990, max_value=2100),
                                      offence_values))
def test_changes_skip_years_in_which_the_rate_is_not_known(years, offences):
    trend = measure_trend(years, offences)
    assert [y.year for y in trend] == sorted(years)
    summary = trend_summary(trend)
    for key in TREND_KEYS:
        known = [(y.year, y.values[key]) for y in trend if y.values[key] is not None]
        expected = {}
        for (before_year, before), (year, value) in zip(known, known[1:], strict=False):
            expected[year] = (value - before, before_year)
        for y in trend:
            assert (y.changes[key], y.since[key]) == expected.get(y.year, (None, None))
        # the changes add up to the difference between the first and last known value
        if len(known) > 1:
            assert sum(c for c, _ in expected.values()) == known[-1][1] - known[0][1]
            assert summary[key].direction == direction(known[-1][1] - known[0][1])
        else:
            assert summary[key].direction is None
