"""Checking the inventory workbook's rows: each cell read into its value, each row against
the instrument, the review and the rows before it.

Nothing here stops at the first problem: every one is collected, so that a file can be
put right in one pass. A blank cell is *not known* (``None``), never 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from acsreview.core.instrument import Instrument
from acsreview.core.utilisation import order_problems

from ..models import ContextIndicator, Indicator, Measure, MeasureStat, Review
from .inventory_sheets import (
    INDICATOR_MAX,
    INDICATORS,
    MAX_COUNT,
    MEASURE_COLUMNS,
    MEASURE_FIELDS,
    MEASURES,
    STATISTICS,
    YEAR_MAX,
    YEAR_MIN,
    Problem,
)

# --- reading cells ------------------------------------------------------------------------

# ASCII digits only: str.isdigit() also takes '²' and '①', which int() refuses.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)
# More digits than any count has; int() refuses more than 4300 (Python's guard).
MAX_DIGITS = 30
QUOTED_MAX = 40  # characters of a cell a message quotes


class CellError(ValueError):
    """A cell's value is unusable; the message says why, in the reader's words."""


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _quoted(value: Any) -> str:
    """The cell as a message quotes it: cut short, as a cell may hold thousands of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        return f"{Decimal(value):.3e}"  # str() refuses an int of more than 4300 digits
    shown = _shown(value)
    return shown if len(shown) <= QUOTED_MAX else f"{shown[:QUOTED_MAX]}\u2026"


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any, max_length: int | None = None) -> str:
    """A text cell: blank is the empty string."""
    if blank(value):
        return ""
    result = _shown(value)
    if max_length is not None and len(result) > max_length:
        raise CellError(_("longer than %(max)d characters") % {"max": max_length})
    return result


def count(value: Any) -> int | None:
    """A count: a whole number >= 0, or ``None`` when the cell is blank (not known)."""
    if blank(value):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and WHOLE_NUMBER.fullmatch(written := value.strip()):
        sign = -1 if written.startswith("-") else 1
        digits = written.lstrip("+-").lstrip("0") or "0"
        # More digits than a count has are never given to int(), which refuses 4300 and
        # more; the number is as good as too large (or negative) all the same.
        number = sign * (int(digits) if len(digits) <= MAX_DIGITS else MAX_COUNT + 1)
    if number is None:
        raise CellError(_("'%(value)s' is not a whole number (leave the cell blank when the "
                          "figure is not known)") % {"value": _quoted(value)})
    if number < 0:
        raise CellError(_("'%(value)s' is negative: counts start at 0")
                        % {"value": _quoted(value)})
    if number > MAX_COUNT:
        raise CellError(_("'%(value)s' is too large: at most %(max)s") % {
            "value": _quoted(value), "max": MAX_COUNT})
    return number


def year(value: Any) -> int:
    if blank(value):
        raise CellError(_("the year is missing"))
    try:
        number = count(value)
    except CellError:
        raise CellError(_("'%(value)s' is not a year") % {"value": _quoted(value)}) from None
    if number is None or not YEAR_MIN <= number <= YEAR_MAX:
        raise CellError(_("'%(value)s' is not a year between %(min)d and %(max)d")
                        % {"value": _quoted(value), "min": YEAR_MIN, "max": YEAR_MAX})
    return number


def amount(value: Any) -> Decimal | None:
    """An indicator's value: a number >= 0 (two decimals kept), or ``None`` when blank."""
    if blank(value):
        return None
    number: Decimal | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        raise CellError(_("'%(value)s' is not a number (leave the cell blank when the value "
                          "is not known)") % {"value": _quoted(value)})
    if number < 0:
        raise CellError(_("'%(value)s' is negative") % {"value": _quoted(value)})
    # Bounded before rounding: quantize fails on a number with more digits than the
    # decimal context holds (1e26 and up).
    if number > INDICATOR_MAX:
        raise CellError(_("'%(value)s' is too large: at most %(max)s") % {
            "value": _quoted(value), "max": INDICATOR_MAX})
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number > INDICATOR_MAX:  # 999999999999.995 rounds up past it
        raise CellError(_("'%(value)s' is too large: at most %(max)s") % {
            "value": _quoted(value), "max": INDICATOR_MAX})
    return number


# --- checking the rows --------------------------------------------------------------------

@dataclass
class Parsed:
    """The checked content of a workbook, row numbers kept for messages."""

    measures: list[tuple[int, dict]] = field(default_factory=list)
    statistics: list[tuple[int, str, int, dict]] = field(default_factory=list)
    indicators: list[tuple[int, str, int, Decimal | None, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.measures) + len(self.statistics) + len(self.indicators)


def _read(problems: list[Problem], sheet: str, row: int, column: str, parse, value, *args):
    """``parse(value, *args)``; on a bad cell, its problem recorded and None."""
    try:
        return parse(value, *args)
    except CellError as exc:
        problems.append(Problem(sheet, row, column, str(exc)))
        return None


def _ids(items) -> str:
    return ", ".join(i.id for i in items)


def _names(instrument: Instrument, attribute: str) -> dict[str, str]:
    """What a cell may say for each measure type or stage -> its id: the id, or its label in
    any of the instrument's languages (as the web form shows it), in any case."""
    from acsreview.web.instruments import app_library

    library = app_library()
    versions = [instrument]
    for lang in library.languages(instrument):
        try:
            versions.append(library.localized(instrument, lang))
        except (LookupError, ValueError):
            continue
    names: dict[str, str] = {}
    for version in versions:
        for item in getattr(version, attribute):
            names.setdefault(item.label.strip().casefold(), item.id)
    for item in getattr(instrument, attribute):  # an id always means itself
        names[item.id.casefold()] = item.id
    return names


def check_rows(raw: dict[str, list[tuple[int, dict]]], review: Review, instrument: Instrument,
               problems: list[Problem]) -> Parsed:
    """Check the rows ``raw`` holds per sheet (as {column: value}) for ``review``.

    Every problem is appended to ``problems``; the result is only to be written when
    there is none.
    """
    parsed = Parsed()
    types = _names(instrument, "measure_types")
    stages = _names(instrument, "cjs_stages")

    # measures
    seen_names: dict[str, int] = {}
    for row, cells in raw.get(MEASURES, []):
        values: dict = {}
        for column in MEASURE_COLUMNS:
            fld = Measure._meta.get_field(MEASURE_FIELDS[column])
            values[fld.name] = _read(problems, MEASURES, row, column, text, cells[column],
                                     fld.max_length)
        name = values.get("name")
        if name == "":
            problems.append(Problem(MEASURES, row, "name", _("the measure needs a name")))
        elif name:
            if name in seen_names:
                problems.append(Problem(MEASURES, row, "name", _(
                    "'%(name)s' is already on row %(row)d: one row per measure")
                    % {"name": name, "row": seen_names[name]}))
            else:
                seen_names[name] = row
        kind = values.get("measure_type")
        if kind and kind.strip().casefold() in types:
            kind = values["measure_type"] = types[kind.strip().casefold()]
        if kind is not None and kind not in types.values():
            problems.append(Problem(MEASURES, row, "type", (_(
                "'%(value)s' is not a measure type of the instrument (one of: %(ids)s)")
                if kind else _("the type is missing (one of: %(ids)s)"))
                % {"value": kind, "ids": _ids(instrument.measure_types)}))
        stage = values.get("stage")
        if stage and stage.strip().casefold() in stages:
            stage = values["stage"] = stages[stage.strip().casefold()]
        if stage is not None and stage not in stages.values():
            problems.append(Problem(MEASURES, row, "stage", (_(
                "'%(value)s' is not a stage of the instrument (one of: %(ids)s)")
                if stage else _("the stage is missing (one of: %(ids)s)"))
                % {"value": stage, "ids": _ids(instrument.cjs_stages)}))
        parsed.measures.append((row, values))

    # statistics
    known = set(seen_names) | set(review.measures.values_list("name", flat=True))
    seen_stats: dict[tuple[str, int], int] = {}
    for row, cells in raw.get(STATISTICS, []):
        before = len(problems)
        measure = text(cells["measure"])
        if not measure:
            problems.append(Problem(STATISTICS, row, "measure", _("name the measure")))
        elif measure not in known:
            problems.append(Problem(STATISTICS, row, "measure", _(
                "no measure named '%(name)s' in the measures sheet or in the review")
                % {"name": measure}))
        when = _read(problems, STATISTICS, row, "year", year, cells["year"])
        figures: dict = {column: _read(problems, STATISTICS, row, column, count, cells[column])
                         for column in MeasureStat.COUNTS}
        figures["source"] = _read(problems, STATISTICS, row, "source", text, cells["source"],
                                  MeasureStat._meta.get_field("source").max_length)
        for column, limit in order_problems(figures):
            problems.append(Problem(STATISTICS, row, column, order_message(
                column, figures[column], limit, figures[limit])))
        if measure and when is not None:
            key = (measure, when)
            if key in seen_stats:
                problems.append(Problem(STATISTICS, row, "year", _(
                    "%(name)s already has figures for %(year)d on row %(row)d: one row per "
                    "measure and year") % {"name": measure, "year": when,
                                            "row": seen_stats[key]}))
            else:
                seen_stats[key] = row
        if len(problems) == before:
            parsed.statistics.append((row, measure, when, figures))

    # indicators
    indicator_ids = {i.value for i in Indicator}
    seen_indicators: dict[tuple[str, int], int] = {}
    for row, cells in raw.get(INDICATORS, []):
        before = len(problems)
        indicator = text(cells["indicator"])
        if indicator not in indicator_ids:
            problems.append(Problem(INDICATORS, row, "indicator", (_(
                "'%(value)s' is not an indicator (one of: %(ids)s)") if indicator else _(
                "the indicator is missing (one of: %(ids)s)"))
                % {"value": indicator, "ids": ", ".join(i.value for i in Indicator)}))
        when = _read(problems, INDICATORS, row, "year", year, cells["year"])
        value = _read(problems, INDICATORS, row, "value", amount, cells["value"])
        if (indicator == Indicator.DRUG_PRISONER_SHARE and value is not None
                and value > 100):
            problems.append(Problem(INDICATORS, row, "value", _(
                "'%(value)s' is a share of prisoners: at most 100") % {"value": value}))
        source = _read(problems, INDICATORS, row, "source", text, cells["source"],
                       ContextIndicator._meta.get_field("source").max_length)
        if source == "":
            problems.append(Problem(INDICATORS, row, "source", _(
                "say where the value comes from (a source is required)")))
        if indicator in indicator_ids and when is not None:
            key = (indicator, when)
            if key in seen_indicators:
                problems.append(Problem(INDICATORS, row, "year", _(
                    "%(indicator)s for %(year)d is already on row %(row)d: one row per "
                    "indicator and year") % {"indicator": indicator, "year": when,
                                              "row": seen_indicators[key]}))
            else:
                seen_indicators[key] = row
        if len(problems) == before:
            parsed.indicators.append((row, indicator, when, value, source))
    return parsed


def order_message(column: str, value: int, limit: str, limit_value: int) -> str:
    """Why ``column`` may not exceed ``limit``, in plain words."""
    return _("%(column)s (%(value)d) is more than %(limit)s (%(limit_value)d)") % {
        "column": column, "value": value, "limit": limit, "limit_value": limit_value}
