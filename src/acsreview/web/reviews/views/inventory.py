"""The ACS inventory: measures by CJS stage with their figures and rates, the context
indicators, and the XLSX template and its import.

Reading needs READ; every change needs EDIT on a review that is not final. Every change is
audited in the same transaction. A blank figure is not known: stored NULL, shown as such.

This module has the inventory page and the workbook; a measure's views are in
``inventory_measures``, the figures and indicators tables in ``inventory_stats``. They are
importable from here too, so that ``inventory_urls`` finds every inventory view in one place.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from acsreview.core.coverage import coverage
from acsreview.core.utilisation import RATES
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
           "measure_new", "measure_stats"]


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
