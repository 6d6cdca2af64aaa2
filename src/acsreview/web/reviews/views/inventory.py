"""The ACS inventory: measures by CJS stage with their figures and rates, the context
indicators, and the XLSX template and its import.

Reading needs READ; every change needs EDIT on a review that is not final. Every change is
audited in the same transaction. A blank figure is not known: stored NULL, shown as such.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from io import BytesIO

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from acsreview.core.utilisation import RATES, order_problems, rates
from acsreview.web.instruments import instrument_of

from ..access import EDIT, READ, can_edit
from ..models import ContextIndicator, Indicator, Measure, MeasureStat
from ..services.audit import record, snapshot
from ..services.inventory_import import (
    MAX_BYTES,
    ImportFailed,
    build_template,
    import_inventory,
)
from .common import instrument_for, review_view

MEASURE_FIELDS = ["name", "measure_type", "stage", "legal_basis", "eligible_offences",
                  "eligible_drugs", "eligible_prior_record", "rehabilitative_element",
                  "geographic_scope", "delivered_by", "paid_by", "notes"]
MEASURE_AUDIT = [*MEASURE_FIELDS, "carried_over"]
STAT_FIELDS = ["year", *MeasureStat.COUNTS, "source"]
INDICATOR_FIELDS = ["indicator", "year", "value", "source"]
INDICATOR_AUDIT = [*INDICATOR_FIELDS, "carried_over"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RATE_LABELS = {
    "use_rate": gettext_lazy("Use rate"),
    "start_rate": gettext_lazy("Start rate"),
    "completion_rate": gettext_lazy("Completion rate"),
    "breach_rate": gettext_lazy("Breach rate"),
}
RATE_HELP = {
    "use_rate": gettext_lazy("referred or ordered ÷ eligible"),
    "start_rate": gettext_lazy("started ÷ referred or ordered"),
    "completion_rate": gettext_lazy("completed ÷ started"),
    "breach_rate": gettext_lazy("breached ÷ started"),
}


# --- forms --------------------------------------------------------------------------------

class MeasureForm(forms.ModelForm):
    """A measure; type and stage are the ids of the review's instrument."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    measure_type = forms.ChoiceField(label=gettext_lazy("Type"))
    stage = forms.ChoiceField(label=gettext_lazy("CJS stage"))

    class Meta:
        model = Measure
        fields = MEASURE_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in (
            "legal_basis", "eligible_offences", "eligible_drugs", "eligible_prior_record",
            "rehabilitative_element", "notes")}
        help_texts = {
            "eligible_prior_record": gettext_lazy(
                "What prior criminal record still allows, or excludes, the measure."),
            "rehabilitative_element": gettext_lazy(
                "The treatment, education or reintegration it involves."),
            "geographic_scope": gettext_lazy("Nationwide, some regions, a pilot city…"),
        }

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        choose = [("", _("Choose…"))]
        self.fields["measure_type"].choices = choose + [
            (t.id, t.label) for t in instrument.measure_types]
        self.fields["stage"].choices = choose + [(s.id, s.label) for s in instrument.cjs_stages]
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Measure.objects.filter(review=self.instance.review, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This review already has a measure of that name."))
        return name


class StatForm(forms.ModelForm):
    """One year of a measure's figures. Blank is not known, never 0."""

    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = MeasureStat
        fields = STAT_FIELDS

    def clean(self):
        data = super().clean()
        labels = {f: self.fields[f].label for f in MeasureStat.COUNTS}
        figures = {f: data.get(f) for f in MeasureStat.COUNTS}
        for figure, limit in order_problems(figures):
            if figure not in self.errors:
                self.add_error(figure, _("%(figure)s (%(value)s) cannot be more than %(limit)s "
                                         "(%(limit_value)s).") % {
                    "figure": labels[figure], "value": figures[figure],
                    "limit": labels[limit].lower(), "limit_value": figures[limit]})
        return data


class BaseStatFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            if year in seen:
                form.add_error("year", _("There is already a row for %(year)s.")
                               % {"year": year})
            seen.add(year)


StatFormSet = forms.modelformset_factory(MeasureStat, form=StatForm, formset=BaseStatFormSet,
                                         extra=3, can_delete=True)


class IndicatorForm(forms.ModelForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)
    value = forms.DecimalField(label=gettext_lazy("Value"), required=False, min_value=0,
                               max_digits=14, decimal_places=2,
                               help_text=gettext_lazy("Blank when not known."))

    class Meta:
        model = ContextIndicator
        fields = INDICATOR_FIELDS

    def clean_value(self):
        value = self.cleaned_data.get("value")
        return None if value is None else value.quantize(Decimal("0.01"))

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if (data.get("indicator") == Indicator.DRUG_PRISONER_SHARE and value is not None
                and value > 100 and "value" not in self.errors):
            self.add_error("value", _("A share of prisoners is at most 100%."))
        return data


class BaseIndicatorFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("indicator"), form.cleaned_data.get("year"))
            if None in key:
                continue
            if key in seen:
                form.add_error("year", _("There is already a row for this indicator and year."))
            seen.add(key)


IndicatorFormSet = forms.modelformset_factory(
    ContextIndicator, form=IndicatorForm, formset=BaseIndicatorFormSet,
    extra=len(Indicator.values), can_delete=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Inventory workbook (.xlsx)"),
        help_text=gettext_lazy("The inventory template, filled in; at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_(
                "The file is %(size)s MB: at most 5 MB can be uploaded. Split it into "
                "several workbooks.") % {"size": f"{upload.size / 1024 / 1024:.1f}"})
        head = upload.read(4)
        upload.seek(0)
        if not upload.name.lower().endswith(".xlsx") or head != b"PK\x03\x04":
            raise forms.ValidationError(_(
                "This is not an Excel workbook (.xlsx). Download the inventory template, fill "
                "it in and upload it as .xlsx (a .xls, .csv or .ods file will not do)."))
        return upload


# --- helpers ------------------------------------------------------------------------------

def _require_edit(review, role):
    if not can_edit(role, review):
        raise PermissionDenied


def _inventory_url(review, anchor: str = "") -> str:
    return reverse("reviews:inventory", args=[review.slug]) + (f"#{anchor}" if anchor else "")


def _figures(stat) -> dict:
    return {f: getattr(stat, f) for f in MeasureStat.COUNTS} if stat else {}


def _rates(stat) -> list[dict]:
    computed = rates(_figures(stat))
    return [{"key": r.key, "label": RATE_LABELS[r.key], "help": RATE_HELP[r.key],
             "value": computed[r.key]} for r in RATES]


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


def _labels(instrument):
    return ({t.id: t.label for t in instrument.measure_types},
            {s.id: s.label for s in instrument.cjs_stages})


# --- the inventory page -------------------------------------------------------------------

@review_view(READ)
def inventory(request, review, role):
    instrument = instrument_for(request, review)
    types, stages = _labels(instrument)
    rows = {}
    for m in review.measures.prefetch_related("stats"):
        stats = list(m.stats.all())
        latest = max(stats, key=lambda s: s.year) if stats else None
        rows.setdefault(m.stage, []).append({
            "measure": m, "type_label": types.get(m.measure_type, m.measure_type),
            "latest": latest, "figures": [getattr(latest, f) for f in MeasureStat.COUNTS]
            if latest else [], "rates": _rates(latest), "years": len(stats)})
    groups = [{"id": s.id, "label": s.label, "rows": rows.pop(s.id, [])}
              for s in instrument.cjs_stages]
    if rows:  # stages the instrument no longer has (e.g. carried from an older version)
        groups.append({"id": "other", "label": _("Other stages"),
                       "rows": [r for rs in rows.values() for r in rs]})

    indicators = list(review.indicators.all())
    years = sorted({i.year for i in indicators}, reverse=True)
    cells = {(i.year, i.indicator): i for i in indicators}
    table = [{"year": y, "cells": [cells.get((y, k)) for k in Indicator.values]}
             for y in years]
    return render(request, "reviews/inventory.html", {
        "review": review, "role": role, "editable": can_edit(role, review),
        "groups": groups, "measure_count": sum(len(g["rows"]) for g in groups),
        "count_labels": [MeasureStat._meta.get_field(f).verbose_name
                         for f in MeasureStat.COUNTS],
        "rate_labels": [{"label": RATE_LABELS[r.key], "help": RATE_HELP[r.key]}
                        for r in RATES],
        "indicator_labels": Indicator.labels, "indicator_table": table,
        "carried_indicators": sum(1 for i in indicators if i.carried_over),
    })


# --- measures -----------------------------------------------------------------------------

@review_view(EDIT)
def measure_new(request, review, role):
    _require_edit(review, role)
    instrument = instrument_for(request, review)
    form = MeasureForm(request.POST or None, instance=Measure(review=review),
                       instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                measure = form.save(commit=False)
                measure.review, measure.updated_by = review, request.user
                measure.version, measure.carried_over = 1, False
                measure.save()
                record(request.user, review, "measure", measure.pk, "create", None,
                       snapshot(measure, MEASURE_AUDIT))
        except IntegrityError:
            form.add_error("name", _("This review already has a measure of that name."))
        else:
            messages.success(request, _("Measure “%(name)s” added.") % {"name": measure.name})
            return redirect(_inventory_url(review, f"measure-{measure.pk}"))
    return render(request, "reviews/measure_form.html", {
        "review": review, "role": role, "form": form, "measure": None, "editable": True},
        status=422 if form.errors else 200)


@review_view(READ)
def measure_edit(request, review, role, pk):
    """The measure: a form for those who may edit, its description for the others."""
    measure = get_object_or_404(Measure, review=review, pk=pk)
    instrument = instrument_for(request, review)
    editable = can_edit(role, review)
    context = {"review": review, "role": role, "measure": measure, "editable": editable}
    if not editable:
        if request.method == "POST":
            raise PermissionDenied
        types, stages = _labels(instrument)
        context["facts"] = _facts(measure, types, stages)
        return render(request, "reviews/measure_form.html", context)

    form = MeasureForm(request.POST or None, instance=measure, instrument=instrument)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            conflict = None
            with transaction.atomic():
                current = get_object_or_404(Measure.objects.select_for_update(),
                                            review=review, pk=pk)
                if current.version != form.cleaned_data["version"]:
                    conflict = current
                else:
                    before = snapshot(current, MEASURE_AUDIT)
                    for f in MEASURE_FIELDS:
                        setattr(current, f, form.cleaned_data[f])
                    current.version += 1
                    current.carried_over = False
                    current.updated_by = request.user
                    try:
                        with transaction.atomic():
                            current.save()
                    except IntegrityError:
                        form.add_error("name", _("This review already has a measure of that "
                                                 "name."))
                    else:
                        record(request.user, review, "measure", current.pk, "update", before,
                               snapshot(current, MEASURE_AUDIT))
                        messages.success(request, _("Measure “%(name)s” saved.")
                                         % {"name": current.name})
                        return redirect(_inventory_url(review, f"measure-{current.pk}"))
            if conflict is not None:
                types, stages = _labels(instrument)
                mine = form.cleaned_data
                context["conflict"] = {
                    "by": conflict.updated_by, "at": conflict.updated_at,
                    "facts": [f | {"differs": getattr(conflict, f["name"]) != mine.get(
                        f["name"])} for f in _facts(conflict, types, stages)]}
                # Saving again now overwrites their version, knowingly.
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = MeasureForm(data, instance=Measure.objects.get(pk=pk),
                                   instrument=instrument)
                form.is_valid()
                status = 409
    context["form"] = form
    return render(request, "reviews/measure_form.html", context, status=status)


def _facts(measure, types, stages) -> list[dict]:
    facts = []
    for f in MEASURE_FIELDS:
        value = getattr(measure, f)
        shown = {"measure_type": types, "stage": stages}.get(f, {}).get(value, value)
        facts.append({"name": f, "label": Measure._meta.get_field(f).verbose_name,
                      "value": shown})
    return facts


@require_POST
@review_view(EDIT)
def measure_confirm(request, review, role, pk):
    """Keep a carried-over measure as it is: it is now this round's."""
    _require_edit(review, role)
    with transaction.atomic():
        measure = get_object_or_404(Measure.objects.select_for_update(), review=review, pk=pk)
        version = request.POST.get("version", "")
        if version.isdigit() and int(version) != measure.version:
            messages.error(request, _("“%(name)s” was changed meanwhile: look at it again "
                                      "before confirming.") % {"name": measure.name})
        elif measure.carried_over:
            measure.carried_over = False
            measure.version += 1
            measure.updated_by = request.user
            measure.save()
            record(request.user, review, "measure", measure.pk, "confirm",
                   {"carried_over": True}, {"carried_over": False})
            messages.success(request, _("“%(name)s” confirmed for this round.")
                             % {"name": measure.name})
    return redirect(_inventory_url(review, f"measure-{pk}"))


@review_view(EDIT)
def measure_delete(request, review, role, pk):
    _require_edit(review, role)
    measure = get_object_or_404(Measure, review=review, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            measure = get_object_or_404(Measure.objects.select_for_update(), review=review,
                                        pk=pk)
            before = snapshot(measure, MEASURE_AUDIT) | {
                "statistics": [{f: getattr(s, f) for f in STAT_FIELDS}
                               for s in measure.stats.all()]}
            name = measure.name
            measure.delete()
            record(request.user, review, "measure", pk, "delete", before, None)
        messages.success(request, _("Measure “%(name)s” deleted.") % {"name": name})
        return redirect(_inventory_url(review))
    return render(request, "reviews/measure_delete.html", {
        "review": review, "role": role, "measure": measure, "years": measure.stats.count()})


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
        _require_edit(review, role)
        formset = StatFormSet(request.POST, queryset=queryset, prefix="stats")
        status = 422
        if formset.is_valid():
            with transaction.atomic():
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
                   "rates": _rates(s)} for s in queryset],
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
        _require_edit(review, role)
        formset = IndicatorFormSet(request.POST, queryset=queryset, prefix="ind",
                                   initial=initial)
        status = 422
        if formset.is_valid():
            with transaction.atomic():
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
    _require_edit(review, role)
    with transaction.atomic():
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
    return redirect(_inventory_url(review, "indicators"))


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
    _require_edit(review, role)
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
                return redirect(_inventory_url(review))
    return render(request, "reviews/inventory_import.html", {
        "review": review, "role": role, "form": form, "problems": problems,
        "max_mb": MAX_BYTES // (1024 * 1024)}, status=status)
