"""What the inventory's views share: the edit check, links back to the inventory page, the
labels of the instrument's ids, and the utilisation rates of a year's figures.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy

from acsreview.core.utilisation import PER_100_OFFENCES, RATES, rates

from ..access import can_edit
from ..models import MeasureStat, Status

RATE_LABELS = {
    "use_rate": gettext_lazy("Use rate"),
    "start_rate": gettext_lazy("Start rate"),
    "completion_rate": gettext_lazy("Completion rate"),
    "breach_rate": gettext_lazy("Breach rate"),
    PER_100_OFFENCES: gettext_lazy("Per 100 drug-law offences"),
}
RATE_HELP = {
    "use_rate": gettext_lazy("referred or ordered ÷ eligible"),
    "start_rate": gettext_lazy("started ÷ referred or ordered"),
    "completion_rate": gettext_lazy("completed ÷ started"),
    "breach_rate": gettext_lazy("breached ÷ started"),
    PER_100_OFFENCES: gettext_lazy("referred or ordered ÷ drug-law offences × 100"),
}


def lock_editable(review) -> None:
    """Inside the saving transaction: lock the review's row and refuse it if it has become
    final since the request began (a final review is read-only)."""
    status = type(review).objects.select_for_update().values_list("status", flat=True).get(
        pk=review.pk)
    if status == Status.FINAL:
        raise PermissionDenied


def require_edit(review, role):
    if not can_edit(role, review):
        raise PermissionDenied


def inventory_url(review, anchor: str = "") -> str:
    return reverse("reviews:inventory", args=[review.slug]) + (f"#{anchor}" if anchor else "")


def figures(stat) -> dict:
    """A year's counts by name, as the rates of ``core.utilisation`` take them."""
    return {f: getattr(stat, f) for f in MeasureStat.COUNTS} if stat else {}


def stat_rates(stat) -> list[dict]:
    """The rates of a year's figures (none when ``stat`` is None), labelled for the page."""
    computed = rates(figures(stat))
    return [{"key": r.key, "label": RATE_LABELS[r.key], "help": RATE_HELP[r.key],
             "value": computed[r.key]} for r in RATES]


def instrument_labels(instrument):
    """The labels of the instrument's measure types and of its CJS stages, by id."""
    return ({t.id: t.label for t in instrument.measure_types},
            {s.id: s.label for s in instrument.cjs_stages})
