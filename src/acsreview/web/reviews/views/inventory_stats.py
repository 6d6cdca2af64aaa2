"""The inventory's tables: a measure's figures by year, and the context indicators.

Each is edited as a formset. The page carries a fingerprint of the table as it was loaded;
a save over a table someone else changed meanwhile is refused (409) and theirs is shown.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acsreview.core.utilisation import RATES

from ..access import EDIT, READ, can_edit
from ..models import Indicator, Measure, MeasureStat
from ..services.audit import record, snapshot
from .common import review_view
from .inventory_common import (
    RATE_HELP,
    RATE_LABELS,
    inventory_url,
    lock_editable,
    require_edit,
    stat_rates,
)
from .inventory_forms import INDICATOR_FIELDS, STAT_FIELDS, IndicatorFormSet, StatFormSet

INDICATOR_AUDIT = [*INDICATOR_FIELDS, "carried_over"]


def _fingerprint(rows) -> str:
    """A short digest of what a table held when the page was loaded."""
    data = json.dumps(rows, default=str, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def _stats_fingerprint(measure) -> str:
    return _fingerprint([[getattr(s, f) for f in ("pk", *STAT_FIELDS)]
                         for s in measure.stats.order_by("year")])


def _indicators_fingerprint(review) -> str:
    return _fingerprint([[getattr(i, f) for f in ("pk", *INDICATOR_FIELDS)]
                         for i in review.indicators.order_by("indicator", "year")])


# --- a measure's statistics ---------------------------------------------------------------

def _save_rows(formset, user, review, object_type: str, audit_fields, extra: dict,
               prepare=None) -> int:
    """Write a formset's changed rows, one audit event each. Returns how many changed."""
    changed = 0
    for form in formset.forms:
        instance = form.instance
        if formset.can_delete and formset._should_delete_form(form):
            if instance.pk:
                before = snapshot(instance, audit_fields)
                pk = instance.pk
                instance.delete()
                record(user, review, object_type, pk, "delete", before | extra, None)
                changed += 1
            continue
        if not form.has_changed():
            continue
        before = None
        if instance.pk:
            before = snapshot(type(instance).objects.get(pk=instance.pk), audit_fields)
        obj = form.save(commit=False)
        if prepare is not None:
            prepare(obj)
        obj.save()
        record(user, review, object_type, obj.pk, "update" if before else "create",
               before | extra if before else None, snapshot(obj, audit_fields) | extra)
        changed += 1
    return changed


def _rows(formset, label):
    """The formset's forms, each with the words that tell its row apart in input labels."""
    rows, new = [], 0
    for form in formset.forms:
        if form.instance.pk:
            text = label(form.instance)
        else:
            new += 1
            text = _("new row %(n)d") % {"n": new}
        rows.append({"form": form, "saved": bool(form.instance.pk), "label": text})
    return rows


@review_view(READ)
def measure_stats(request, review, role, pk):
    """A measure's figures, one row per year; blank is not known."""
    measure = get_object_or_404(Measure, review=review, pk=pk)
    editable = can_edit(role, review)
    queryset = measure.stats.order_by("year")
    status = 200
    if request.method == "POST":
        require_edit(review, role)
        formset = StatFormSet(request.POST, queryset=queryset, prefix="stats")
        status = 422
        if formset.is_valid():
            with transaction.atomic():
                lock_editable(review)
                Measure.objects.select_for_update().get(pk=measure.pk)
                if request.POST.get("fingerprint") != _stats_fingerprint(measure):
                    messages.error(request, _(
                        "Someone else changed these figures while you were editing: theirs "
                        "are shown below. Enter your changes again."))
                    formset = StatFormSet(queryset=measure.stats.order_by("year"),
                                          prefix="stats")
                    status = 409
                else:
                    changed = _save_rows(formset, request.user, review, "measure_stat",
                                         STAT_FIELDS, {"measure": measure.name},
                                         prepare=lambda s: setattr(s, "measure", measure))
                    messages.success(request, _("Figures saved (%(n)d row(s) changed).")
                                     % {"n": changed})
                    return redirect("reviews:measure_stats", slug=review.slug, pk=pk)
    else:
        formset = StatFormSet(queryset=queryset, prefix="stats")
    return render(request, "reviews/measure_stats.html", {
        "review": review, "role": role, "measure": measure, "editable": editable,
        "formset": formset, "rows": _rows(formset, lambda s: str(s.year)),
        "stats": [{"stat": s, "figures": [getattr(s, f) for f in MeasureStat.COUNTS],
                   "rates": stat_rates(s)} for s in queryset],
        "count_labels": [MeasureStat._meta.get_field(f).verbose_name
                         for f in MeasureStat.COUNTS],
        "rate_labels": [{"label": RATE_LABELS[r.key], "help": RATE_HELP[r.key]}
                        for r in RATES],
        "fingerprint": _stats_fingerprint(measure),
    }, status=status)


# --- context indicators -------------------------------------------------------------------

@review_view(READ)
def indicators(request, review, role):
    """The context indicators, one row per indicator and year, each with its source."""
    editable = can_edit(role, review)
    queryset = review.indicators.order_by("-year", "indicator")
    initial = [{"indicator": i} for i in Indicator.values]
    status = 200
    if request.method == "POST":
        require_edit(review, role)
        formset = IndicatorFormSet(request.POST, queryset=queryset, prefix="ind",
                                   initial=initial)
        status = 422
        if formset.is_valid():
            with transaction.atomic():
                lock_editable(review)
                type(review).objects.select_for_update().get(pk=review.pk)
                if request.POST.get("fingerprint") != _indicators_fingerprint(review):
                    messages.error(request, _(
                        "Someone else changed the indicators while you were editing: theirs "
                        "are shown below. Enter your changes again."))
                    formset = IndicatorFormSet(queryset=queryset, prefix="ind",
                                               initial=initial)
                    status = 409
                else:
                    def prepare(obj):
                        obj.review = review
                        obj.carried_over = False

                    changed = _save_rows(formset, request.user, review, "context_indicator",
                                         INDICATOR_AUDIT, {}, prepare=prepare)
                    messages.success(request, _("Indicators saved (%(n)d row(s) changed).")
                                     % {"n": changed})
                    return redirect("reviews:indicators", slug=review.slug)
    else:
        formset = IndicatorFormSet(queryset=queryset, prefix="ind", initial=initial)
    return render(request, "reviews/inventory_indicators.html", {
        "review": review, "role": role, "editable": editable, "formset": formset,
        "rows": _rows(formset, lambda i: f"{i.get_indicator_display()}, {i.year}"),
        "indicators": list(queryset), "fingerprint": _indicators_fingerprint(review),
    }, status=status)


@require_POST
@review_view(EDIT)
def indicator_confirm(request, review, role):
    """Keep carried-over indicators as they are: one (``id``) or all of them."""
    require_edit(review, role)
    with transaction.atomic():
        lock_editable(review)
        carried = review.indicators.select_for_update().filter(carried_over=True)
        if request.POST.get("id", "").isdigit():
            carried = carried.filter(pk=int(request.POST["id"]))
        n = 0
        for indicator in carried:
            indicator.carried_over = False
            indicator.save(update_fields=["carried_over"])
            record(request.user, review, "context_indicator", indicator.pk, "confirm",
                   {"carried_over": True}, {"carried_over": False})
            n += 1
    messages.success(request, _("%(n)d indicator value(s) confirmed for this round.")
                     % {"n": n})
    return redirect(inventory_url(review, "indicators"))
