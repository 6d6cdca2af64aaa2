"""A consultation's results: the ONE place the web app gets consultation figures from.

Views, exports, the API and reports all call :func:`review_results`, so that no
figure leaves the database without going through :func:`acsreview.core.consultation.
aggregate_tallies` and its suppression of small groups (see docs/methodology.md,
"Consultation"). Nothing here returns a response, an answer or an open text: only
aggregates of whole publication units.

The figures are made from counts (:func:`raw_tallies`): of the responses while they are
there, and of the counts frozen when a coordinator purged them (``services.purge``),
so that a purge changes no published figure.

Results are always of one consultation. Consultations are never pooled: a pooled
figure minus one consultation's figure would be the other consultation's, and could
isolate one of its groups under the threshold.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count

from acsreview.core.consultation import (
    ANSWERS,
    DomainDivergence,
    QuestionAggregate,
    aggregate_tallies,
    domain_divergence,
)
from acsreview.core.instrument import AnswerType, Instrument
from acsreview.web.instruments import instrument_of

from ..models import MIN_THRESHOLD, Consultation, FrozenTallies, ResponseAnswer

# CJS and health indices this far apart (index points, 0-100) are flagged as disagreeing.
DISAGREEMENT = 50
# Stands for a non-empty open-text answer: counted in n, never scored, never shown.
OPEN_TEXT = "text"
# The pseudo-question under which submitted responses per group are counted.
RESPONSES = "__responses__"


@dataclass(frozen=True)
class ReviewResults:
    """What may be published of one consultation of a review."""

    consultation: Consultation
    threshold: int
    questions: dict[str, QuestionAggregate]  # by question id; absent: no answer at all
    domains: dict[str, DomainDivergence]  # by domain id, in the instrument's order
    # Submitted responses per group, suppressed like any question (n only).
    responses: QuestionAggregate | None

    def question(self, question_id: str) -> QuestionAggregate | None:
        return self.questions.get(question_id)

    @staticmethod
    def disagree(divergence: float | None) -> bool:
        return divergence is not None and divergence >= DISAGREEMENT


def effective_threshold(consultation: Consultation) -> int:
    """The consultation's threshold, never below the floor whatever was stored."""
    return max(int(consultation.threshold or 0), MIN_THRESHOLD)


def consultation_of(review, consultation: Consultation | None = None) -> Consultation | None:
    """``consultation`` if it is the review's, else the review's latest (None: it has none)."""
    if consultation is not None:
        if consultation.review_id != review.pk:
            raise ValueError("the consultation is not this review's")
        return consultation
    return review.consultations.order_by("-created_at", "-pk").first()


def _questions(instrument: Instrument) -> Iterator:
    for level in instrument.levels:
        for domain in level.domains:
            yield from domain.questions


def raw_tallies(consultation: Consultation) -> dict:
    """The counts of ``consultation``'s submitted responses, in two grouped queries.

    ``{"questions": {item id: {group: {answer: count}}}, "responses": {group: count}}``,
    as JSON. An open-text answer counts under :data:`OPEN_TEXT` (its text is not even
    loaded). This is what a purge keeps (:class:`..models.FrozenTallies`): the figures
    are made from it in the same way whether the responses are still there or not.
    """
    rows = (ResponseAnswer.objects
            .filter(response__consultation=consultation,
                    response__submitted_at__isnull=False)
            .exclude(answer="", text="")
            .values_list("item_id", "response__group", "answer")
            .annotate(n=Count("pk")).order_by())
    questions: dict[str, dict[str, dict[str, int]]] = {}
    for item_id, group, answer, n in rows:
        counts = questions.setdefault(item_id, {}).setdefault(group, {})
        key = answer or OPEN_TEXT
        counts[key] = counts.get(key, 0) + n
    responses = dict(consultation.responses.filter(submitted_at__isnull=False)
                     .values_list("group").annotate(n=Count("pk")).order_by())
    return {"questions": questions, "responses": responses}


def _counts_of(consultation: Consultation) -> dict:
    """The frozen counts of a purged consultation, else those of its responses."""
    try:
        return consultation.frozen.tallies
    except FrozenTallies.DoesNotExist:
        return raw_tallies(consultation)


def _published(raw: dict, instrument: Instrument) -> dict[str, dict[str, dict[str, int]]]:
    """The counts that figures are made of: question -> group -> answer -> count.

    In the instrument's order. Every answer to an open-text item counts as one
    :data:`OPEN_TEXT`; items the instrument does not have and values off the answer
    scale are dropped.
    """
    choices = set(ANSWERS)
    out: dict[str, dict[str, dict[str, int]]] = {}
    for q in _questions(instrument):
        kept = {}
        for group, counts in (raw.get(q.id) or {}).items():
            if q.answer_type == AnswerType.TEXT:
                counts = {OPEN_TEXT: sum(counts.values())}
            elif q.answer_type == AnswerType.CHOICE:
                counts = {a: n for a, n in counts.items() if a in choices}
            else:
                continue
            if any(counts.values()):
                kept[group] = counts
        if kept:
            out[q.id] = kept
    return out


def review_results(review, consultation: Consultation | None = None, *,
                   instrument: Instrument | None = None) -> ReviewResults | None:
    """The published figures of ``consultation`` (default: the review's latest one).

    None when the review has no consultation. ``instrument`` defaults to the review's
    own version; a localized copy of it gives the same figures.
    """
    consultation = consultation_of(review, consultation)
    if consultation is None:
        return None
    instrument = instrument or instrument_of(review)
    threshold = effective_threshold(consultation)
    polarity = {q.id: (q.polarity.value if q.polarity and q.answer_type == AnswerType.CHOICE
                       else None) for q in _questions(instrument)}
    sectors = {g.id: g.sector.value for g in instrument.stakeholder_groups}
    order = [g.id for g in instrument.stakeholder_groups]
    counts = _counts_of(consultation)
    questions = aggregate_tallies(_published(counts["questions"], instrument),
                                  polarity=polarity, sectors=sectors, threshold=threshold,
                                  group_order=order)
    domains = domain_divergence(questions, {
        d.id: [q.id for q in d.questions] for level in instrument.levels for d in level.domains})
    return ReviewResults(
        consultation=consultation, threshold=threshold, questions=questions,
        domains={d.domain_id: d for d in domains},
        responses=aggregate_tallies(
            {RESPONSES: {g: {OPEN_TEXT: n} for g, n in counts["responses"].items()}},
            polarity={}, sectors=sectors, threshold=threshold, group_order=order,
        ).get(RESPONSES))
