"""A measure of the inventory: adding, editing, confirming a carried-over one, deleting.

Editing is optimistic: the form carries the version it was loaded at. A save over someone
else's newer version is not made; theirs is shown beside the form (409), and saving again
then overwrites it knowingly.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import EDIT, READ, can_edit
from ..models import Measure
from ..services.audit import record, snapshot
from .common import instrument_for, review_view
from .inventory_common import instrument_labels, inventory_url, lock_editable, require_edit
from .inventory_forms import MEASURE_FIELDS, STAT_FIELDS, MeasureForm

MEASURE_AUDIT = [*MEASURE_FIELDS, "carried_over"]


@review_view(EDIT)
def measure_new(request, review, role):
    require_edit(review, role)
    instrument = instrument_for(request, review)
    form = MeasureForm(request.POST or None, instance=Measure(review=review),
                       instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                lock_editable(review)
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
            return redirect(inventory_url(review, f"measure-{measure.pk}"))
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
        types, stages = instrument_labels(instrument)
        context["facts"] = _facts(measure, types, stages)
        return render(request, "reviews/measure_form.html", context)

    form = MeasureForm(request.POST or None, instance=measure, instrument=instrument)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            conflict = None
            with transaction.atomic():
                lock_editable(review)
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
                        return redirect(inventory_url(review, f"measure-{current.pk}"))
            if conflict is not None:
                types, stages = instrument_labels(instrument)
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
    require_edit(review, role)
    with transaction.atomic():
        lock_editable(review)
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
    return redirect(inventory_url(review, f"measure-{pk}"))


@review_view(EDIT)
def measure_delete(request, review, role, pk):
    require_edit(review, role)
    measure = get_object_or_404(Measure, review=review, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            lock_editable(review)
            measure = get_object_or_404(Measure.objects.select_for_update(), review=review,
                                        pk=pk)
            before = snapshot(measure, MEASURE_AUDIT) | {
                "statistics": [{f: getattr(s, f) for f in STAT_FIELDS}
                               for s in measure.stats.all()]}
            name = measure.name
            measure.delete()
            record(request.user, review, "measure", pk, "delete", before, None)
        messages.success(request, _("Measure “%(name)s” deleted.") % {"name": name})
        return redirect(inventory_url(review))
    return render(request, "reviews/measure_delete.html", {
        "review": review, "role": role, "measure": measure, "years": measure.stats.count()})
