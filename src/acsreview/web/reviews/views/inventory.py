"""The ACS inventory: measures by CJS stage with their figures and rates, the context
indicators, and the XLSX template and its import.

Reading needs READ; every change needs EDIT on a review that is not final. Every change is
audited in the same transaction. A blank figure is not known: stored NULL, shown as such.

This module has the inventory page, the utilisation page (every measure's rates year by
year, with their trend) and the workbook; a measure's views are in
``inventory_measures``, the figures and indicators tables in ``inventory_stats``. They are
importable from here too, so that ``inventory_urls`` finds every inventory view in one place.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from acsreview.core.coverage import coverage
from acsreview.core.utilisation import (
    PER_100_OFFENCES,
    RATES,
    RateTrend,
    YearRates,
    direction,
    measure_trend,
    trend_summary,
)
from acsreview.web.instruments import instrument_of

from ..access import EDIT, READ, can_edit
from ..models import Indicator, MeasureStat
from ..services.inventory_import import ImportFailed, import_inventory
from ..services.inventory_sheets import MAX_BYTES
from ..services.inventory_template import build_template
from .common import instrument_for, review_view
from .inventory_common import (
    RATE_HELP,
    RATE_LABELS,
    figures,
    instrument_labels,
    inventory_url,
    require_edit,
    stat_rates,
)
from .inventory_forms import XLSX, ImportForm
from .inventory_measures import measure_confirm, measure_delete, measure_edit, measure_new
from .inventory_stats import indicator_confirm, indicators, measure_stats

__all__ = ["indicator_confirm", "indicators", "inventory", "inventory_import",
           "inventory_template", "measure_confirm", "measure_delete", "measure_edit",
           "measure_new", "measure_stats", "utilisation"]


# --- the inventory page -------------------------------------------------------------------

@review_view(READ)
def inventory(request, review, role):
    instrument = instrument_for(request, review)
    types, stages = instrument_labels(instrument)
    rows = {}
    for m in review.measures.prefetch_related("stats"):
        stats = list(m.stats.all())
        latest = max(stats, key=lambda s: s.year) if stats else None
        rows.setdefault(m.stage, []).append({
            "measure": m, "type_label": types.get(m.measure_type, m.measure_type),
            "latest": latest, "figures": [getattr(latest, f) for f in MeasureStat.COUNTS]
            if latest else [], "rates": stat_rates(latest), "years": len(stats)})
    groups = [{"id": s.id, "label": s.label, "rows": rows.pop(s.id, [])}
              for s in instrument.cjs_stages]
    if rows:  # stages the instrument no longer has (e.g. carried from an older version)
        groups.append({"id": "other", "label": _("Other stages"),
                       "rows": [r for rs in rows.values() for r in rs]})

    measures = [r["measure"] for g in groups for r in g["rows"]]
    cover = coverage([(m.name, m.stage, m.measure_type) for m in measures],
                     [s.id for s in instrument.cjs_stages],
                     [t.id for t in instrument.measure_types])
    coverage_rows = [
        {"label": g["label"], "count": cover.per_stage.get(g["id"], len(g["rows"])),
         "cells": [len(cover.cells.get((g["id"], t), [])) for t in cover.types]}
        for g in groups]

    indicators = list(review.indicators.all())
    years = sorted({i.year for i in indicators}, reverse=True)
    cells = {(i.year, i.indicator): i for i in indicators}
    table = [{"year": y, "cells": [cells.get((y, k)) for k in Indicator.values]}
             for y in years]
    return render(request, "reviews/inventory.html", {
        "review": review, "role": role, "editable": can_edit(role, review),
        "groups": groups, "measure_count": sum(len(g["rows"]) for g in groups),
        "coverage_types": [types.get(t, t) for t in cover.types], "coverage_rows": coverage_rows,
        "empty_stages": [stages.get(s, s) for s in cover.empty_stages],
        "count_labels": [MeasureStat._meta.get_field(f).verbose_name
                         for f in MeasureStat.COUNTS],
        "rate_labels": [{"label": RATE_LABELS[r.key], "help": RATE_HELP[r.key]}
                        for r in RATES],
        "indicator_labels": Indicator.labels, "indicator_table": table,
        "carried_indicators": sum(1 for i in indicators if i.carried_over),
    })


# --- utilisation --------------------------------------------------------------------------

#: The figures and rates the utilisation page shows, in its column order.
UTILISATION_COUNTS = ("eligible", "referred", "started", "completed")
UTILISATION_RATES = ("use_rate", PER_100_OFFENCES, "start_rate", "completion_rate")
SIGNS = {"up": "+", "down": "\u2212", "flat": ""}  # a real minus sign, not a hyphen


def _number(value, percent: bool) -> str:
    """``value`` with one decimal in the reader's language, with % if it is a percentage."""
    return number_format(value, 1) + ("%" if percent else "")


def _rate_cell(year: YearRates, key: str) -> dict:
    change = year.changes[key]
    return {"value": year.values[key], "percent": key != PER_100_OFFENCES,
            "direction": direction(change), "since": year.since[key],
            "change": None if change is None
            else SIGNS[direction(change)] + number_format(abs(change), 1)}


def _summary_line(key: str, trend: RateTrend) -> dict:
    percent = key != PER_100_OFFENCES
    known = trend.first is not None
    return {"label": RATE_LABELS[key], "direction": trend.direction, "known": known,
            "first": _number(trend.first, percent) if known else None,
            "last": _number(trend.last, percent) if known else None,
            "first_year": trend.first_year, "last_year": trend.last_year}


@review_view(READ)
def utilisation(request, review, role):
    """Per measure and year: its figures, use, start and completion rates, orders per 100
    drug-law offences where that indicator is recorded, and each rate's change since the
    last earlier year in which it was known."""
    instrument = instrument_for(request, review)
    types, stages = instrument_labels(instrument)
    stage_order = {s.id: i for i, s in enumerate(instrument.cjs_stages)}
    offences = dict(review.indicators.filter(indicator=Indicator.DRUG_LAW_OFFENCES)
                    .values_list("year", "value"))
    measures = sorted(review.measures.prefetch_related("stats"),  # by name within a stage
                      key=lambda m: stage_order.get(m.stage, len(stage_order)))
    tables = []
    for m in measures:
        stats = {s.year: s for s in m.stats.all()}
        trend = measure_trend({year: figures(s) for year, s in stats.items()}, offences)
        summary = trend_summary(trend)
        tables.append({
            "measure": m, "stage": stages.get(m.stage, m.stage),
            "type": types.get(m.measure_type, m.measure_type),
            "rows": [{"year": y.year,
                      "figures": [getattr(stats[y.year], f) for f in UTILISATION_COUNTS],
                      "rates": [_rate_cell(y, k) for k in UTILISATION_RATES]}
                     for y in trend],
            "summary": [_summary_line(k, summary[k]) for k in UTILISATION_RATES],
        })
    return render(request, "reviews/utilisation.html", {
        "review": review, "role": role, "tables": tables,
        "count_labels": [MeasureStat._meta.get_field(f).verbose_name
                         for f in UTILISATION_COUNTS],
        "rate_labels": [{"key": k, "label": RATE_LABELS[k], "help": RATE_HELP[k]}
                        for k in UTILISATION_RATES],
        "offence_years": sorted(y for y, v in offences.items() if v is not None),
    })


# --- the workbook -------------------------------------------------------------------------

@review_view(READ)
def inventory_template(request, review, role):
    """The XLSX template, filled with the review's current inventory."""
    wb = build_template(instrument_for(request, review), review)
    buffer = BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{review.slug}-inventory.xlsx"'
    return response


@review_view(EDIT)
def inventory_import(request, review, role):
    require_edit(review, role)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                summary = import_inventory(review, form.cleaned_data["file"],
                                           instrument_of(review), request.user)
            except ImportFailed as exc:
                problems = [str(p) for p in exc.problems]
            else:
                messages.success(request, _("Imported: %(summary)s.") % {"summary": summary})
                return redirect(inventory_url(review))
    return render(request, "reviews/inventory_import.html", {
        "review": review, "role": role, "form": form, "problems": problems,
        "max_mb": MAX_BYTES // (1024 * 1024)}, status=status)
