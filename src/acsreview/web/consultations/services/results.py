"""A consultation's results: the ONE place the web app gets consultation figures from.

Views, exports, the API and reports all call :func:`review_results`, so that no
figure leaves the database without going through :func:`acsreview.core.consultation.
aggregate` and its suppression of small groups (see docs/methodology.md,
"Consultation"). Nothing here returns a response, an answer or an open text: only
aggregates of whole publication units.

Results are always of one consultation. Consultations are never pooled: a pooled
figure minus one consultation's figure would be the other consultation's, and could
isolate one of its groups under the threshold.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from acsreview.core.consultation import (
    ANSWERS,
    DomainDivergence,
    QuestionAggregate,
    aggregate,
    domain_divergence,
)
from acsreview.core.instrument import AnswerType, Instrument
from acsreview.web.instruments import instrument_of

from ..models import MIN_THRESHOLD, Consultation, ResponseAnswer

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


def _triples(consultation: Consultation, instrument: Instrument) -> list[tuple[str, str, str]]:
    """(group, item id, answer) of the submitted responses, in one query.

    Open-text answers come as :data:`OPEN_TEXT` (their text is not even loaded);
    items the instrument does not have and values off the answer scale are dropped.
    """
    kinds = {q.id: q.answer_type for q in _questions(instrument)}
    choices = set(ANSWERS)
    rows = (ResponseAnswer.objects
            .filter(response__consultation=consultation,
                    response__submitted_at__isnull=False)
            .exclude(answer="", text="")
            .values_list("response__group", "item_id", "answer"))
    out = []
    for group, item_id, answer in rows.iterator(chunk_size=5000):
        kind = kinds.get(item_id)
        if kind == AnswerType.TEXT:
            out.append((group, item_id, OPEN_TEXT))
        elif kind == AnswerType.CHOICE and answer in choices:
            out.append((group, item_id, answer))
    return out


def _response_counts(consultation: Consultation, sectors, threshold, order):
    groups = (consultation.responses.filter(submitted_at__isnull=False)
              .values_list("group", flat=True))
    counted = aggregate(((g, RESPONSES, OPEN_TEXT) for g in groups), polarity={},
                        sectors=sectors, threshold=threshold, group_order=order)
    return counted.get(RESPONSES)


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
    questions = aggregate(_triples(consultation, instrument), polarity=polarity,
                          sectors=sectors, threshold=threshold, group_order=order)
    domains = domain_divergence(questions, {
        d.id: [q.id for q in d.questions] for level in instrument.levels for d in level.domains})
    return ReviewResults(
        consultation=consultation, threshold=threshold, questions=questions,
        domains={d.domain_id: d for d in domains},
        responses=_response_counts(consultation, sectors, threshold, order))
