"""Purging a consultation's raw responses once its figures are made.

After a consultation has closed and its results have been aggregated, a coordinator
may delete its raw responses: every response with its answers, open texts, resume-key
hashes and submission ids. The counts the published figures are made of are kept
first (:class:`..models.FrozenTallies`), so the results page, the analysis, the
action plan, reports, exports and the API show the same figures afterwards, through
the same suppression of small groups. It cannot be undone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from acsreview.web.reviews.services.audit import record

from ..models import Consultation, FrozenTallies, Link, Response, ResponseAnswer
from .results import raw_tallies


class PurgeRefused(Exception):
    """The consultation may not be purged (yet): the message says why."""


@dataclass(frozen=True)
class RawCounts:
    """How much raw data a consultation holds: what a purge deletes."""

    responses: int  # submitted or not
    submitted: int
    answers: int
    open_texts: int  # answers with a text


def raw_counts(consultation: Consultation) -> RawCounts:
    responses = Response.objects.filter(consultation=consultation).aggregate(
        all=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
    answers = ResponseAnswer.objects.filter(response__consultation=consultation).aggregate(
        all=Count("pk"), texts=Count("pk", filter=~Q(text="")))
    return RawCounts(responses["all"], responses["submitted"], answers["all"],
                     answers["texts"])


def is_purged(consultation: Consultation) -> bool:
    return FrozenTallies.objects.filter(consultation=consultation).exists()


def is_closed(consultation: Consultation, now=None) -> bool:
    """Whether ``consultation`` takes no more answers: its review is final, its closing
    date has passed, or every group's link is closed."""
    if consultation.review.is_final:
        return True
    if consultation.closes_at and consultation.closes_at <= (now or timezone.now()):
        return True
    return not consultation.links.filter(is_open=True).exists()


def refusal(consultation: Consultation) -> str | None:
    """Why ``consultation`` may not be purged now, or None."""
    if is_purged(consultation):
        return _("The raw responses of this consultation were purged already.")
    if not is_closed(consultation):
        return _("The consultation is still open: close every group's link (or wait for "
                 "its closing date) before purging its raw responses.")
    return None


def purge_responses(consultation: Consultation, user=None, *, via: str = "web") -> RawCounts:
    """Freeze ``consultation``'s counts, then delete its raw responses; all or nothing.

    Raises :class:`PurgeRefused` while the consultation is open or when it was purged
    already. Records the purge in the review's audit trail: who, when and how many
    responses, nothing of their content. Returns what was deleted.
    """
    with transaction.atomic():
        # The lock keeps a concurrent purge, import or link change from slipping between
        # the counts kept and the rows deleted.
        locked = (Consultation.objects.select_for_update().select_related("review")
                  .get(pk=consultation.pk))
        reason = refusal(locked)
        if reason:
            raise PurgeRefused(reason)
        counts = raw_counts(locked)
        FrozenTallies.objects.create(
            consultation=locked, tallies=raw_tallies(locked),
            purged_by=user if getattr(user, "is_authenticated", False) else None)
        # No link of a purged consultation opens again: new answers could not be told
        # apart from the frozen counts.
        Link.objects.filter(consultation=locked).update(is_open=False)
        ResponseAnswer.objects.filter(response__consultation=locked).delete()
        Response.objects.filter(consultation=locked).delete()
        # Totals only, as for an import: the history is open to every reader of the review.
        record(user, locked.review, "consultation", locked.public_id, "purge", None, {
            "via": via, "responses": counts.responses, "answers": counts.answers})
    return counts
