"""Saving answers: versioned, audited, and never silently overwriting someone else's."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Answer, CorrespondentAnswer, Review, Status
from .audit import record, snapshot

ANSWER_FIELDS = ["answer", "text", "evidence", "sources", "confidence", "notes",
                 "severity_override", "override_justification"]


class AnswerConflict(Exception):
    """Someone saved the item since this person loaded it. Both versions travel with it."""

    def __init__(self, current, mine: dict):
        super().__init__(f"{current} was changed by someone else")
        self.current = current
        self.mine = mine


class ReviewLocked(Exception):
    """A final review is read-only."""


def _check_open(review: Review) -> None:
    """Refuse a final review, as it is in the database now (locked until the save commits)."""
    status = Review.objects.select_for_update().values_list("status", flat=True).get(
        pk=review.pk)
    if status == Status.FINAL:
        raise ReviewLocked(review.slug)


def _stamp(answer, user) -> None:
    """A save makes the answer this round's and moves its version on."""
    answer.carried_over = False
    answer.version += 1
    answer.updated_by = user
    answer.updated_at = timezone.now()
    answer.save()


@transaction.atomic
def save_answer(review: Review, item_id: str, data: dict, base_version: int, user) -> Answer:
    _check_open(review)
    answer, _ = Answer.objects.select_for_update().get_or_create(review=review, item_id=item_id)
    if answer.version != base_version:
        # The same edit sent twice (the autosave on leaving a field, then the Save button
        # it was leaving for) finds it already saved: nothing to resolve.
        if all(getattr(answer, f) == v for f, v in data.items() if f in ANSWER_FIELDS):
            return answer
        raise AnswerConflict(answer, data)
    before = snapshot(answer, ANSWER_FIELDS + ["carried_over"])
    for field, value in data.items():
        if field in ANSWER_FIELDS:
            setattr(answer, field, value)
    _stamp(answer, user)
    record(user, review, "answer", item_id, "update", before,
           snapshot(answer, ANSWER_FIELDS + ["carried_over"]))
    return answer


@transaction.atomic
def confirm_carried_over(review: Review, item_id: str, base_version: int, user) -> Answer:
    """Keep a carried-over answer as it is: it is now this round's answer."""
    _check_open(review)
    answer = Answer.objects.select_for_update().get(review=review, item_id=item_id)
    if answer.version != base_version:
        raise AnswerConflict(answer, {})
    _stamp(answer, user)
    record(user, review, "answer", item_id, "confirm", {"carried_over": True},
           {"carried_over": False})
    return answer


@transaction.atomic
def save_correspondent_answer(review: Review, question_id: str, values: dict,
                              base_version: int, user) -> CorrespondentAnswer:
    _check_open(review)
    answer, _ = CorrespondentAnswer.objects.select_for_update().get_or_create(
        review=review, question_id=question_id)
    if answer.version != base_version:
        raise AnswerConflict(answer, values)
    before = dict(answer.values)
    answer.values = values
    _stamp(answer, user)
    record(user, review, "correspondent_answer", question_id, "update", before, values)
    return answer
