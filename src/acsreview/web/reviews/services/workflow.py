"""Starting reviews (a new round can carry the last one over) and moving their status."""

from __future__ import annotations

from django.db import transaction

from ..models import (
    Answer,
    ContextIndicator,
    CorrespondentAnswer,
    MeasureStat,
    Review,
    Status,
    StatusChange,
)
from ..models.enums import TRANSITIONS
from .audit import record


class TransitionRefused(Exception):
    pass


@transaction.atomic
def change_status(review: Review, to: Status, user, note: str = "") -> StatusChange:
    # The status as it is now, locked: two people moving it at once must not both pass.
    review.status = Review.objects.select_for_update().values_list(
        "status", flat=True).get(pk=review.pk)
    current = Status(review.status)
    if to not in TRANSITIONS[current]:
        raise TransitionRefused(f"{review.slug} cannot go from {current.label} to "
                                f"{Status(to).label}")
    change = StatusChange.objects.create(review=review, from_status=current, to_status=to,
                                         by=user, note=note)
    review.status = to
    review.save(update_fields=["status"])
    record(user, review, "review", review.slug, "status", {"status": current.value},
           {"status": Status(to).value, "note": note})
    return change


@transaction.atomic
def start_review(jurisdiction, round_: int, instrument_id: str, instrument_version: str, user,
                 carry_from: Review | None = None, item_ids: set[str] | None = None) -> Review:
    """A new review; with ``carry_from``, its inventory and answers start as carried over.

    ``item_ids`` are the items of the new review's instrument: carried answers to
    items it no longer has are left behind.
    """
    review = Review.objects.create(jurisdiction=jurisdiction, round=round_,
                                   instrument_id=instrument_id,
                                   instrument_version=instrument_version,
                                   carried_from=carry_from, created_by=user)
    record(user, review, "review", review.slug, "create", None,
           {"instrument": f"{instrument_id} {instrument_version}",
            "carried_from": carry_from.slug if carry_from else None})
    if carry_from is not None:
        _carry_over(carry_from, review, item_ids)
    return review


def _carry_over(old: Review, new: Review, item_ids: set[str] | None) -> None:
    for measure in old.measures.prefetch_related("stats"):
        stats = list(measure.stats.all())
        measure.pk = None
        measure.review = new
        measure.carried_over = True
        measure.version = 1
        measure.save()
        for stat in stats:
            stat.pk = None
            stat.measure = measure
        MeasureStat.objects.bulk_create(stats)
    ContextIndicator.objects.bulk_create([
        ContextIndicator(review=new, year=i.year, indicator=i.indicator, value=i.value,
                         source=i.source, carried_over=True)
        for i in old.indicators.all()])
    answers = []
    for a in old.answers.all():
        if item_ids is not None and a.item_id not in item_ids:
            continue
        a.pk, a.review, a.carried_over, a.version = None, new, True, 0
        answers.append(a)
    Answer.objects.bulk_create(answers)
    CorrespondentAnswer.objects.bulk_create([
        CorrespondentAnswer(review=new, question_id=c.question_id, values=c.values,
                            carried_over=True)
        for c in old.correspondent_answers.all()])
