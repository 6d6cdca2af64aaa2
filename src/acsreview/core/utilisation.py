"""How much a measure is used: the rates derived from a year's figures.

A measure's figures for one year are counts (eligible cases, referred or
ordered, started, completed, breached), each of which may be *not known*
(``None``). Not known is never 0: a rate that needs a figure that is not
known is itself not known, and so is a rate whose denominator is 0.

Rates are percentages rounded half up to one decimal, as :class:`Decimal`
so that 12.25 rounds to 12.3 on every platform. Where the review records the
drug-law offences of a year (a context indicator), a year also has its orders
per 100 drug-law offences.

A measure's trend follows each rate over its years: the change, in points,
from the last earlier year in which that rate was known. A year with a rate
not known is skipped, never read as 0.

Plain functions, no framework: the web app, the reports and the command line
all use these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

NOT_KNOWN = "\u2014"  # em dash, the mark for a value that is not known
ONE_DECIMAL = Decimal("0.1")


class Rate(NamedTuple):
    """One derived rate: its key, and the figures it divides."""

    key: str
    numerator: str
    denominator: str


#: The rates, in the order they are shown: use, start, completion, breach.
RATES: tuple[Rate, ...] = (
    Rate("use_rate", "referred", "eligible"),
    Rate("start_rate", "started", "referred"),
    Rate("completion_rate", "completed", "started"),
    Rate("breach_rate", "breached", "started"),
)


def percentage(numerator: int | None,
               denominator: Decimal | int | None) -> Decimal | None:
    """``numerator`` as a percentage of ``denominator``, one decimal, or ``None``.

    ``None`` (not known) when either figure is not known or the denominator is 0.
    Counts cannot be negative: a negative one raises :class:`ValueError`.

    >>> percentage(1, 3)
    Decimal('33.3')
    >>> percentage(None, 3) is None, percentage(3, 0) is None
    (True, True)
    """
    if numerator is None or denominator is None:
        return None
    if numerator < 0 or denominator < 0:
        raise ValueError(f"counts cannot be negative: {numerator} / {denominator}")
    if denominator == 0:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def rates(figures: Mapping[str, int | None]) -> dict[str, Decimal | None]:
    """Every rate of :data:`RATES` for one year's ``figures``.

    ``figures`` maps ``eligible``, ``referred``, ``started``, ``completed`` and
    ``breached`` to a count or ``None``; a missing key is not known.

    >>> rates({"eligible": 200, "referred": 50, "started": 40, "completed": 30,
    ...        "breached": None})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'use_rate': Decimal('25.0'), 'start_rate': Decimal('80.0'),
     'completion_rate': Decimal('75.0'), 'breach_rate': None}
    """
    return {r.key: percentage(figures.get(r.numerator), figures.get(r.denominator))
            for r in RATES}


def format_percentage(value: Decimal | None, not_known: str = NOT_KNOWN) -> str:
    """``value`` as text, ``12.5%``; ``not_known`` (an em dash) when it is ``None``.

    >>> format_percentage(Decimal("12.5")), format_percentage(None)
    ('12.5%', '—')
    """
    if value is None:
        return not_known
    return f"{value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)}%"


#: Figure pairs where, if both are known, the first may not exceed the second.
ORDER: tuple[tuple[str, str], ...] = (
    ("started", "referred"),
    ("completed", "started"),
    ("breached", "started"),
)


def order_problems(figures: Mapping[str, int | None]) -> list[tuple[str, str]]:
    """Figures that contradict each other, as ``(figure, limit)`` pairs.

    Where both are known: completed <= started <= referred, and breached <= started.
    Each pair names the figure at fault and the one it may not exceed; the caller
    words the message (in the reader's language).

    >>> order_problems({"referred": 10, "started": 12, "completed": 3})
    [('started', 'referred')]
    >>> order_problems({"referred": None, "started": 12, "completed": 3})
    []
    """
    return [(figure, limit) for figure, limit in ORDER
            if figures.get(figure) is not None and figures.get(limit) is not None
            and figures[figure] > figures[limit]]


# --- orders per 100 drug-law offences ---------------------------------------------------

#: The key of orders per 100 drug-law offences, beside the keys of :data:`RATES`.
PER_100_OFFENCES = "per_100_offences"

#: Every rate a trend follows: the four of :data:`RATES`, then per 100 offences.
TREND_KEYS: tuple[str, ...] = (*(r.key for r in RATES), PER_100_OFFENCES)


def per_100_offences(referred: int | None,
                     offences: Decimal | int | None) -> Decimal | None:
    """Orders (``referred``) per 100 drug-law offences recorded that year, one decimal.

    ``None`` (not known) when either is not known or no offence is recorded (0).
    Neither can be negative: a negative one raises :class:`ValueError`.

    >>> per_100_offences(45, 1200), per_100_offences(7, Decimal("80.5"))
    (Decimal('3.8'), Decimal('8.7'))
    >>> per_100_offences(45, None) is None, per_100_offences(45, 0) is None
    (True, True)
    """
    return percentage(referred, offences)  # the same arithmetic: x 100, one decimal


# --- the trend over a measure's years ---------------------------------------------------

@dataclass(frozen=True)
class YearRates:
    """One year of a measure's trend, each dict keyed by :data:`TREND_KEYS`.

    ``values`` are the year's rates; ``changes`` the change in points from the year
    in ``since``, the last earlier year in which that rate was known. A change is
    ``None`` when the rate is not known this year or in no earlier year (and then
    ``since`` is ``None`` too).
    """

    year: int
    values: dict[str, Decimal | None]
    changes: dict[str, Decimal | None]
    since: dict[str, int | None]


def direction(change: Decimal | None) -> str | None:
    """``"up"``, ``"down"`` or ``"flat"`` for a change; ``None`` when it is not known.

    >>> direction(Decimal("3.2")), direction(Decimal("-0.1")), direction(Decimal("0.0"))
    ('up', 'down', 'flat')
    >>> direction(None) is None
    True
    """
    if change is None:
        return None
    return "up" if change > 0 else "down" if change < 0 else "flat"


def measure_trend(years: Mapping[int, Mapping[str, int | None]],
                  offences: Mapping[int, Decimal | int | None] | None = None,
                  ) -> list[YearRates]:
    """The rates of each of a measure's ``years`` (ascending), each with its change.

    ``years`` maps a year to its figures (as for :func:`rates`); a year that is not
    there has no row, and is not 0. ``offences`` maps a year to the drug-law
    offences recorded for it; without them, per 100 offences is not known.

    >>> trend = measure_trend({2024: {"eligible": 250, "referred": 70},
    ...                        2022: {"eligible": 200, "referred": 50},
    ...                        2023: {"eligible": None, "referred": 60}},
    ...                       {2022: 1000, 2024: 1400})
    >>> [(y.year, y.values["use_rate"], y.changes["use_rate"], y.since["use_rate"])
    ...  for y in trend]  # doctest: +NORMALIZE_WHITESPACE
    [(2022, Decimal('25.0'), None, None), (2023, None, None, None),
     (2024, Decimal('28.0'), Decimal('3.0'), 2022)]
    >>> [y.values["per_100_offences"] for y in trend]
    [Decimal('5.0'), None, Decimal('5.0')]
    """
    offences = offences or {}
    last: dict[str, tuple[int, Decimal]] = {}  # per rate: the latest year it was known
    trend = []
    for year in sorted(years):
        figures = years[year]
        values = rates(figures)
        values[PER_100_OFFENCES] = per_100_offences(figures.get("referred"),
                                                    offences.get(year))
        changes: dict[str, Decimal | None] = {}
        since: dict[str, int | None] = {}
        for key in TREND_KEYS:
            value, previous = values[key], last.get(key)
            known = value is not None and previous is not None
            changes[key] = value - previous[1] if known else None
            since[key] = previous[0] if known else None
            if value is not None:
                last[key] = (year, value)
        trend.append(YearRates(year, values, changes, since))
    return trend


@dataclass(frozen=True)
class RateTrend:
    """One rate over a measure's years: its first and last known year and value.

    ``direction`` is :func:`direction` of ``last - first``; ``None`` when the rate is
    known in fewer than two years. All ``None`` when it is known in none.
    """

    first_year: int | None
    first: Decimal | None
    last_year: int | None
    last: Decimal | None
    direction: str | None


def trend_summary(trend: Sequence[YearRates]) -> dict[str, RateTrend]:
    """Per key of :data:`TREND_KEYS`: where a :func:`measure_trend` began and ended.

    >>> summary = trend_summary(measure_trend({2021: {"eligible": 100, "referred": 20},
    ...                                        2023: {"eligible": 100, "referred": 15}}))
    >>> summary["use_rate"]  # doctest: +NORMALIZE_WHITESPACE
    RateTrend(first_year=2021, first=Decimal('20.0'), last_year=2023,
              last=Decimal('15.0'), direction='down')
    >>> summary["start_rate"].direction is None
    True
    """
    summary = {}
    for key in TREND_KEYS:
        known = [(y.year, y.values[key]) for y in sorted(trend, key=lambda y: y.year)
                 if y.values[key] is not None]
        if not known:
            summary[key] = RateTrend(None, None, None, None, None)
            continue
        (first_year, first), (last_year, last) = known[0], known[-1]
        summary[key] = RateTrend(first_year, first, last_year, last,
                                 direction(last - first) if len(known) > 1 else None)
    return summary
