"""The ACS inventory in a workbook: the one importer the web and the command line share.

An import is all or nothing. Every row of every sheet is checked first and every
problem is collected, each naming its sheet, row, column and what is wrong; if
there is any, nothing is written. Otherwise one transaction upserts measures by
name, statistics by (measure, year) and indicators by (indicator, year), each
change audited. A blank cell is *not known* (NULL), never 0.

This module opens the file and writes it; checking the rows is in ``inventory_rows``, the
workbook's shape and limits in ``inventory_sheets``, the template in ``inventory_template``.
What the web and the command line use from those is importable from here too (``__all__``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from acsreview.core.instrument import Instrument
from acsreview.web.sheet_rows import UnreadableSheet, sheet_rows
from acsreview.web.uploads import UnsafeWorkbook, check_workbook

from ..models import ContextIndicator, Measure, MeasureStat, Review
from .audit import record, snapshot
from .inventory_rows import Parsed, blank, check_rows, text
from .inventory_sheets import (
    COLUMNS,
    INDICATORS,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    MEASURE_FIELDS,
    MEASURES,
    STAT_FIELDS,
    STATISTICS,
    ImportFailed,
    Problem,
)
from .inventory_template import build_template

__all__ = ["MAX_BYTES", "MAX_ROWS", "Counts", "ImportFailed", "ImportSummary", "Problem",
           "Progress", "build_template", "import_inventory", "read_workbook", "write"]


# --- the summary --------------------------------------------------------------------------

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


# --- reading the workbook -----------------------------------------------------------------

# The row and column limits are looked up in this module, where they have always been, so
# that lowering ``inventory_import.MAX_ROWS`` (as a test does) still takes effect.
def _sheet_rows(ws, sheet: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    """The non-blank rows of a sheet as {column: value}, found by their header."""
    columns = COLUMNS[sheet]
    rows_iter = sheet_rows(ws, MAX_COLUMNS)
    first = next(rows_iter, None)
    if first is None:
        return []
    _number, header = first
    names = [text(h).lower() if not blank(h) else "" for h in header]
    missing = [c for c in columns if c not in names]
    for column in missing:
        problems.append(Problem(sheet, 1, column, _("this column is missing from the header")))
    if missing:
        return []
    where = {c: names.index(c) for c in columns}
    rows: list[tuple[int, dict]] = []
    for number, values in rows_iter:
        if all(blank(v) for v in values):
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


def read_workbook(source, review: Review, instrument: Instrument) -> Parsed:
    """Check every row of the workbook ``source`` (a path or a binary file) for ``review``.

    Raises :class:`ImportFailed` with every problem found; writes nothing.
    """
    problems: list[Problem] = []
    try:
        check_workbook(source)
    except UnsafeWorkbook as why:
        raise ImportFailed([Problem(_("file"), None, None, _(
            "this workbook is not safe to open: %(why)s") % {"why": why})]) from None
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
    except UnreadableSheet as bad:
        raise ImportFailed([Problem(bad.sheet, None, None, _(
            "the file is not a readable Excel workbook (.xlsx): this sheet is broken near "
            "row %(row)d; save it again from Excel or LibreOffice, or use the inventory "
            "template") % {"row": bad.row})]) from None
    finally:
        wb.close()

    parsed = check_rows(raw, review, instrument, problems)
    if problems:
        raise ImportFailed(problems)
    return parsed


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
