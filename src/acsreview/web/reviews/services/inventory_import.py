"""The ACS inventory in a workbook: the XLSX template, and the one importer the web and the
command line share.

An import is all or nothing. Every row of every sheet is checked first and every
problem is collected, each naming its sheet, row, column and what is wrong; if
there is any, nothing is written. Otherwise one transaction upserts measures by
name, statistics by (measure, year) and indicators by (indicator, year), each
change audited. A blank cell is *not known* (NULL), never 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from acsreview.core.instrument import Instrument
from acsreview.core.utilisation import order_problems

from ..models import ContextIndicator, Indicator, Measure, MeasureStat, Review
from .audit import record, snapshot

MAX_BYTES = 5 * 1024 * 1024  # the web upload's limit
MAX_ROWS = 10_000  # data rows per sheet
MAX_COLUMNS = 60  # header cells looked at
MAX_COUNT = 2_147_483_647  # what a PositiveIntegerField holds on every database
YEAR_MIN, YEAR_MAX = 1990, 2100
INDICATOR_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2

MEASURES, STATISTICS, INDICATORS, README = "measures", "statistics", "indicators", "README"
MEASURE_COLUMNS = ["name", "type", "stage", "legal_basis", "eligible_offences",
                   "eligible_drugs", "eligible_prior_record", "rehabilitative_element",
                   "geographic_scope", "delivered_by", "paid_by", "notes"]
STAT_COLUMNS = ["measure", "year", *MeasureStat.COUNTS, "source"]
INDICATOR_COLUMNS = ["year", "indicator", "value", "source"]
COLUMNS = {MEASURES: MEASURE_COLUMNS, STATISTICS: STAT_COLUMNS, INDICATORS: INDICATOR_COLUMNS}

# Measure fields as the workbook names them (the model says measure_type for "type").
MEASURE_FIELDS = {c: ("measure_type" if c == "type" else c) for c in MEASURE_COLUMNS}
STAT_FIELDS = [*MeasureStat.COUNTS, "source"]


# --- problems and the summary -------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where it is (sheet, row, column) and what it is."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return _("%(sheet)s: %(problem)s") % {"sheet": self.sheet, "problem": self.message}
        if self.column is None:
            return _("%(sheet)s row %(row)s: %(problem)s") % {
                "sheet": self.sheet, "row": self.row, "problem": self.message}
        return _("%(sheet)s row %(row)s, column %(column)s: %(problem)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column,
            "problem": self.message}


class ImportFailed(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ImportSummary:
    measures: Counts = field(default_factory=Counts)
    statistics: Counts = field(default_factory=Counts)
    indicators: Counts = field(default_factory=Counts)

    def __str__(self) -> str:
        return _("measures: %(m)s; statistics: %(s)s; indicators: %(i)s") % {
            "m": self.measures, "s": self.statistics, "i": self.indicators}


# --- reading cells ------------------------------------------------------------------------

class CellError(ValueError):
    """A cell's value is unusable; the message says why, in the reader's words."""


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any, max_length: int | None = None) -> str:
    """A text cell: blank is the empty string."""
    if _blank(value):
        return ""
    result = _shown(value)
    if max_length is not None and len(result) > max_length:
        raise CellError(_("longer than %(max)d characters") % {"max": max_length})
    return result


def count(value: Any) -> int | None:
    """A count: a whole number >= 0, or ``None`` when the cell is blank (not known)."""
    if _blank(value):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value.strip())
    if number is None:
        raise CellError(_("'%(value)s' is not a whole number (leave the cell blank when the "
                          "figure is not known)") % {"value": _shown(value)})
    if number < 0:
        raise CellError(_("'%(value)s' is negative: counts start at 0")
                        % {"value": _shown(value)})
    if number > MAX_COUNT:
        raise CellError(_("'%(value)s' is too large") % {"value": _shown(value)})
    return number


def year(value: Any) -> int:
    if _blank(value):
        raise CellError(_("the year is missing"))
    try:
        number = count(value)
    except CellError:
        raise CellError(_("'%(value)s' is not a year") % {"value": _shown(value)}) from None
    if number is None or not YEAR_MIN <= number <= YEAR_MAX:
        raise CellError(_("'%(value)s' is not a year between %(min)d and %(max)d")
                        % {"value": _shown(value), "min": YEAR_MIN, "max": YEAR_MAX})
    return number


def amount(value: Any) -> Decimal | None:
    """An indicator's value: a number >= 0 (two decimals kept), or ``None`` when blank."""
    if _blank(value):
        return None
    number: Decimal | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        raise CellError(_("'%(value)s' is not a number (leave the cell blank when the value "
                          "is not known)") % {"value": _shown(value)})
    if number < 0:
        raise CellError(_("'%(value)s' is negative") % {"value": _shown(value)})
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number > INDICATOR_MAX:
        raise CellError(_("'%(value)s' is too large") % {"value": _shown(value)})
    return number


# --- reading the workbook -----------------------------------------------------------------

@dataclass
class Parsed:
    """The checked content of a workbook, row numbers kept for messages."""

    measures: list[tuple[int, dict]] = field(default_factory=list)
    statistics: list[tuple[int, str, int, dict]] = field(default_factory=list)
    indicators: list[tuple[int, str, int, Decimal | None, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.measures) + len(self.statistics) + len(self.indicators)


def _sheet_rows(ws, sheet: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    """The non-blank rows of a sheet as {column: value}, found by their header."""
    columns = COLUMNS[sheet]
    ws.reset_dimensions()  # do not trust the stored dimension: read what is there
    rows_iter = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = next(rows_iter, None)
    if header is None:
        return []
    names = [text(h).lower() if not _blank(h) else "" for h in header]
    missing = [c for c in columns if c not in names]
    for column in missing:
        problems.append(Problem(sheet, 1, column, _("this column is missing from the header")))
    if missing:
        return []
    where = {c: names.index(c) for c in columns}
    rows: list[tuple[int, dict]] = []
    for number, values in enumerate(rows_iter, start=2):
        if all(_blank(v) for v in values):
            if number > 10 * MAX_ROWS:
                break
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(Problem(sheet, None, None, _(
                "more than %(max)s rows: split the file") % {"max": f"{MAX_ROWS:,}"}))
            return []
        rows.append((number, {c: values[i] if i < len(values) else None
                              for c, i in where.items()}))
    return rows


def _ids(items) -> str:
    return ", ".join(i.id for i in items)


def read_workbook(source, review: Review, instrument: Instrument) -> Parsed:
    """Check every row of the workbook ``source`` (a path or a binary file) for ``review``.

    Raises :class:`ImportFailed` with every problem found; writes nothing.
    """
    problems: list[Problem] = []
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # a corrupt or foreign file can fail in many ways
        raise ImportFailed([Problem(_("file"), None, None, _(
            "this is not an Excel workbook (.xlsx); use the inventory template"))]) from None
    try:
        by_name = {name.strip().lower(): name for name in wb.sheetnames}
        present = [s for s in (MEASURES, STATISTICS, INDICATORS) if s in by_name]
        if not present:
            raise ImportFailed([Problem(_("file"), None, None, _(
                "the workbook has none of the sheets measures, statistics, indicators; "
                "use the inventory template"))])
        raw = {s: _sheet_rows(wb[by_name[s]], s, problems) for s in present}
    finally:
        wb.close()

    parsed = Parsed()
    types = {t.id for t in instrument.measure_types}
    stages = {s.id for s in instrument.cjs_stages}

    # measures
    seen_names: dict[str, int] = {}
    for row, cells in raw.get(MEASURES, []):
        values: dict = {}
        for column in MEASURE_COLUMNS:
            fld = Measure._meta.get_field(MEASURE_FIELDS[column])
            try:
                values[fld.name] = text(cells[column], fld.max_length)
            except CellError as exc:
                problems.append(Problem(MEASURES, row, column, str(exc)))
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
        if kind is not None and kind not in types:
            problems.append(Problem(MEASURES, row, "type", (_(
                "'%(value)s' is not a measure type of the instrument (one of: %(ids)s)")
                if kind else _("the type is missing (one of: %(ids)s)"))
                % {"value": kind, "ids": _ids(instrument.measure_types)}))
        stage = values.get("stage")
        if stage is not None and stage not in stages:
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
        when = None
        try:
            when = year(cells["year"])
        except CellError as exc:
            problems.append(Problem(STATISTICS, row, "year", str(exc)))
        figures: dict = {}
        for column in MeasureStat.COUNTS:
            try:
                figures[column] = count(cells[column])
            except CellError as exc:
                problems.append(Problem(STATISTICS, row, column, str(exc)))
        try:
            figures["source"] = text(cells["source"],
                                     MeasureStat._meta.get_field("source").max_length)
        except CellError as exc:
            problems.append(Problem(STATISTICS, row, "source", str(exc)))
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
        when = None
        try:
            when = year(cells["year"])
        except CellError as exc:
            problems.append(Problem(INDICATORS, row, "year", str(exc)))
        value = None
        try:
            value = amount(cells["value"])
        except CellError as exc:
            problems.append(Problem(INDICATORS, row, "value", str(exc)))
        if (indicator == Indicator.DRUG_PRISONER_SHARE and value is not None
                and value > 100):
            problems.append(Problem(INDICATORS, row, "value", _(
                "'%(value)s' is a share of prisoners: at most 100") % {"value": value}))
        source = ""
        try:
            source = text(cells["source"],
                          ContextIndicator._meta.get_field("source").max_length)
        except CellError as exc:
            problems.append(Problem(INDICATORS, row, "source", str(exc)))
        else:
            if not source:
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

    if problems:
        raise ImportFailed(problems)
    return parsed


def order_message(column: str, value: int, limit: str, limit_value: int) -> str:
    """Why ``column`` may not exceed ``limit``, in plain words."""
    return _("%(column)s (%(value)d) is more than %(limit)s (%(limit_value)d)") % {
        "column": column, "value": value, "limit": limit, "limit_value": limit_value}


# --- writing ------------------------------------------------------------------------------

MEASURE_AUDIT = [*MEASURE_FIELDS.values(), "carried_over"]
STAT_AUDIT = ["year", *STAT_FIELDS]
INDICATOR_AUDIT = ["indicator", "year", "value", "source", "carried_over"]

Progress = Callable[[int, int], None]


def import_inventory(review: Review, source, instrument: Instrument, user=None,
                     progress: Progress | None = None) -> ImportSummary:
    """Check the workbook ``source`` and, if it has no problem, write it into ``review``.

    Raises :class:`ImportFailed` (nothing written) when the file has problems or the
    review is final. ``progress(done, total)`` is called as rows are written.
    """
    if review.is_final:
        raise ImportFailed([Problem(_("review"), None, None, _(
            "%(review)s is final: it is read-only") % {"review": review.slug})])
    parsed = read_workbook(source, review, instrument)
    return write(review, parsed, user, progress)


@transaction.atomic
def write(review: Review, parsed: Parsed, user=None,
          progress: Progress | None = None) -> ImportSummary:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.is_final:
        raise ImportFailed([Problem(_("review"), None, None, _(
            "%(review)s is final: it is read-only") % {"review": review.slug})])
    summary = ImportSummary()
    total, done = parsed.size, 0

    def step():
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    measures = {m.name: m for m in Measure.objects.select_for_update().filter(review=review)}
    for _row, values in parsed.measures:
        measure = measures.get(values["name"])
        if measure is None:
            measure = Measure.objects.create(review=review, updated_by=user, **values)
            measures[measure.name] = measure
            record(user, review, "measure", measure.pk, "create", None,
                   snapshot(measure, MEASURE_AUDIT))
            summary.measures.created += 1
        elif any(getattr(measure, k) != v for k, v in values.items()):
            before = snapshot(measure, MEASURE_AUDIT)
            for k, v in values.items():
                setattr(measure, k, v)
            measure.version += 1
            measure.carried_over = False
            measure.updated_by = user
            measure.save()
            record(user, review, "measure", measure.pk, "update", before,
                   snapshot(measure, MEASURE_AUDIT))
            summary.measures.updated += 1
        else:
            summary.measures.unchanged += 1
        step()

    stats = {(s.measure.name, s.year): s for s in MeasureStat.objects.select_for_update()
             .filter(measure__review=review).select_related("measure")}
    for row, name, when, figures in parsed.statistics:
        measure = measures.get(name)
        if measure is None:  # deleted since the file was checked
            raise ImportFailed([Problem(STATISTICS, row, "measure", _(
                "no measure named '%(name)s' in the measures sheet or in the review")
                % {"name": name})])
        stat = stats.get((name, when))
        if stat is None:
            stat = MeasureStat.objects.create(measure=measure, year=when, **figures)
            record(user, review, "measure_stat", stat.pk, "create", None,
                   snapshot(stat, STAT_AUDIT) | {"measure": name})
            summary.statistics.created += 1
        elif any(getattr(stat, k) != v for k, v in figures.items()):
            before = snapshot(stat, STAT_AUDIT)
            for k, v in figures.items():
                setattr(stat, k, v)
            stat.save()
            record(user, review, "measure_stat", stat.pk, "update", before | {"measure": name},
                   snapshot(stat, STAT_AUDIT) | {"measure": name})
            summary.statistics.updated += 1
        else:
            summary.statistics.unchanged += 1
        step()

    indicators = {(i.indicator, i.year): i for i in
                  ContextIndicator.objects.select_for_update().filter(review=review)}
    for _row, indicator, when, value, source in parsed.indicators:
        current = indicators.get((indicator, when))
        if current is None:
            current = ContextIndicator.objects.create(review=review, indicator=indicator,
                                                      year=when, value=value, source=source)
            record(user, review, "context_indicator", current.pk, "create", None,
                   snapshot(current, INDICATOR_AUDIT))
            summary.indicators.created += 1
        elif current.value != value or current.source != source:
            before = snapshot(current, INDICATOR_AUDIT)
            current.value, current.source, current.carried_over = value, source, False
            current.save()
            record(user, review, "context_indicator", current.pk, "update", before,
                   snapshot(current, INDICATOR_AUDIT))
            summary.indicators.updated += 1
        else:
            summary.indicators.unchanged += 1
        step()
    return summary


# --- the template -------------------------------------------------------------------------

def _readme_rows(instrument: Instrument) -> list[tuple[str, str, str]]:
    stages = "; ".join(f"{s.id} = {s.label}" for s in instrument.cjs_stages)
    types = "; ".join(f"{t.id} = {t.label}" for t in instrument.measure_types)
    indicators = "; ".join(f"{i.value} = {i.label}" for i in Indicator)
    counts = _("A whole number, 0 or more. Leave blank when not known: never write 0 for "
               "not known.")
    return [
        (MEASURES, "name", _("The measure's name, as it is known in the country. One row per "
                             "measure; the statistics sheet refers to it by this name.")),
        (MEASURES, "type", _("The kind of measure, one of: %(list)s.") % {"list": types}),
        (MEASURES, "stage", _("The stage of the criminal justice system, from arrest to "
                              "post-sentence, one of: %(list)s.") % {"list": stages}),
        (MEASURES, "legal_basis", _("The law or regulation the measure rests on.")),
        (MEASURES, "eligible_offences", _("Which offences make a person eligible.")),
        (MEASURES, "eligible_drugs", _("Which drugs or kinds of drug use are covered.")),
        (MEASURES, "eligible_prior_record", _("What prior criminal record still allows or "
                                              "excludes it.")),
        (MEASURES, "rehabilitative_element", _("The treatment, education or reintegration it "
                                               "involves.")),
        (MEASURES, "geographic_scope", _("Where it is available: nationwide, some regions, a "
                                         "pilot city…")),
        (MEASURES, "delivered_by", _("Who delivers it (e.g. probation, health services, "
                                     "NGOs).")),
        (MEASURES, "paid_by", _("Who pays for it.")),
        (MEASURES, "notes", _("Anything else worth knowing.")),
        (STATISTICS, "measure", _("The name of a measure on the measures sheet or already in "
                                  "the review.")),
        (STATISTICS, "year", _("The year the figures are for (%(min)d to %(max)d). One row per "
                               "measure and year.") % {"min": YEAR_MIN, "max": YEAR_MAX}),
        (STATISTICS, "eligible", _("Cases eligible for the measure. ") + counts),
        (STATISTICS, "referred", _("Cases referred to or ordered into the measure. ") + counts),
        (STATISTICS, "started", _("Cases that started it; at most the number referred. ")
         + counts),
        (STATISTICS, "completed", _("Cases that completed it; at most the number started. ")
         + counts),
        (STATISTICS, "breached", _("Cases that breached its conditions; at most the number "
                                   "started. ") + counts),
        (STATISTICS, "source", _("Where the figures come from.")),
        (INDICATORS, "year", _("The year of the value (%(min)d to %(max)d). One row per "
                               "indicator and year.") % {"min": YEAR_MIN, "max": YEAR_MAX}),
        (INDICATORS, "indicator", _("Which indicator, one of: %(list)s.")
         % {"list": indicators}),
        (INDICATORS, "value", _("The value: a number, 0 or more (percentages as numbers, "
                                "e.g. 112.5). Leave blank when not known.")),
        (INDICATORS, "source", _("Where the value comes from. Required.")),
    ]


def _list_validation(ws, column_letter: str, values: list[str], title: str,
                     lists_ws=None, lists_column: str = "A") -> DataValidation:
    inline = ",".join(values)
    if len(inline) <= 250 or lists_ws is None:
        formula = f'"{inline}"'
    else:  # Excel allows 255 characters in an inline list: use a hidden sheet's range
        for i, v in enumerate(values, start=1):
            lists_ws[f"{lists_column}{i}"] = v
        formula = f"lists!${lists_column}$1:${lists_column}${len(values)}"
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorTitle=title,
                        error=_("Choose a value from the list."))
    ws.add_data_validation(dv)
    dv.add(f"{column_letter}2:{column_letter}{MAX_ROWS + 1}")
    return dv


def _whole_validation(ws, columns: str, low: int, high: int | None = None):
    if high is None:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(low),
                            allow_blank=True, showErrorMessage=True,
                            error=_("A whole number, 0 or more; blank when not known."))
    else:
        dv = DataValidation(type="whole", operator="between", formula1=str(low),
                            formula2=str(high), allow_blank=True, showErrorMessage=True,
                            error=_("A year between %(min)d and %(max)d.")
                            % {"min": low, "max": high})
    ws.add_data_validation(dv)
    for column in columns.split():
        dv.add(f"{column}2:{column}{MAX_ROWS + 1}")


def _sheet(wb: Workbook, title: str, columns: list[str], widths: dict[str, int],
           first: bool = False):
    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = widths.get(column, 18)
    return ws


def build_template(instrument: Instrument, review: Review | None = None) -> Workbook:
    """The inventory workbook: measures, statistics, indicators and a README.

    With ``review``, its current inventory fills the sheets, ready to edit and import again.
    """
    wb = Workbook()
    measures = _sheet(wb, MEASURES, MEASURE_COLUMNS, {"name": 36, "legal_basis": 30,
                                                      "rehabilitative_element": 30,
                                                      "notes": 30}, first=True)
    statistics = _sheet(wb, STATISTICS, STAT_COLUMNS, {"measure": 36, "year": 8,
                                                       "source": 40})
    indicators = _sheet(wb, INDICATORS, INDICATOR_COLUMNS, {"year": 8, "indicator": 24,
                                                            "value": 14, "source": 40})
    readme = wb.create_sheet(README)
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"

    _list_validation(measures, "B", [t.id for t in instrument.measure_types],
                     _("Measure type"), lists, "A")
    _list_validation(measures, "C", [s.id for s in instrument.cjs_stages],
                     _("CJS stage"), lists, "B")
    _list_validation(indicators, "B", [i.value for i in Indicator], _("Indicator"), lists, "C")
    _whole_validation(statistics, "C D E F G", 0)
    _whole_validation(statistics, "B", YEAR_MIN, YEAR_MAX)
    _whole_validation(indicators, "A", YEAR_MIN, YEAR_MAX)
    if lists.max_row == 1 and lists["A1"].value is None:
        wb.remove(lists)

    readme.append([_("The ACS inventory of %(instrument)s %(version)s")
                   % {"instrument": instrument.title, "version": instrument.version}])
    readme["A1"].font = Font(bold=True, size=14)
    readme.append([_("Fill in the sheets measures, statistics and indicators, one row each, "
                     "then import the file (web: the review's inventory, Import; command "
                     "line: acsreview inventory import REVIEW FILE).")])
    readme.append([_("A blank cell means not known: never write 0 for not known. Rows are "
                     "matched by measure name, (measure, year) and (indicator, year): "
                     "importing again updates them, it does not duplicate them. A row's blank "
                     "cells replace what was there.")])
    readme.append([_("Nothing is imported if any row has a problem: the import lists every "
                     "problem by sheet, row and column.")])
    readme.append([])
    readme.append([_("sheet"), _("column"), _("what to write")])
    header_row = readme.max_row
    for cell in readme[header_row]:
        cell.font = Font(bold=True)
    for row in _readme_rows(instrument):
        readme.append(list(row))
    readme.column_dimensions["A"].width = 14
    readme.column_dimensions["B"].width = 24
    readme.column_dimensions["C"].width = 100
    for row in readme.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    if review is not None:
        for m in review.measures.all():
            measures.append([getattr(m, MEASURE_FIELDS[c]) for c in MEASURE_COLUMNS])
        for s in MeasureStat.objects.filter(measure__review=review).select_related("measure"):
            statistics.append([s.measure.name, s.year, *(getattr(s, c) for c in STAT_FIELDS)])
        for i in review.indicators.all():
            indicators.append([i.year, i.indicator, i.value, i.source])
    return wb
