"""How much a measure is used: the rates derived from a year's figures.

A measure's figures for one year are counts (eligible cases, referred or
ordered, started, completed, breached), each of which may be *not known*
(``None``). Not known is never 0: a rate that needs a figure that is not
known is itself not known, and so is a rate whose denominator is 0.

Rates are percentages rounded half up to one decimal, as :class:`Decimal`
so that 12.25 rounds to 12.3 on every platform.

Plain functions, no framework: the web app, the reports and the command line
all use these.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def percentage(numerator: int | None, denominator: int | None) -> Decimal | None:
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
