"""The lead's view and the stakeholders' view of a review, side by side.

The stakeholders' view of a question is the *published* overall figure of the
consultation (:func:`acsreview.core.consultation.aggregate`: shown groups and the
merged pool, never a withheld group). Nothing here sees a single response.

- a question's stakeholder index is that figure's severity index (0-100);
- the barrier share is the share of its scored answers (yes, partly, no) whose
  severity is 1 or 2: how many stakeholders see at least some barrier there;
- agreement is the Tastle-Wierman consensus of those severities (0-1);
- a domain's stakeholder index is the mean of its questions' stakeholder indices;
- divergence is |lead index - stakeholder index|, per question where both exist
  and per domain over the questions where both exist.

See docs/methodology.md, "Lead and stakeholders".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .consultation import QuestionAggregate
from .profile import Profile
from .scoring import severity


@dataclass(frozen=True)
class StakeholderFigure:
    """What may be published of the stakeholders' answers to one question."""

    question_id: str
    n: int  # answers of any kind in the published units
    scored: int  # yes, partly or no
    index: float | None  # mean severity / 2 x 100
    barrier_share: float | None  # share of scored answers with severity >= 1, 0-1
    agreement: float | None  # Tastle-Wierman consensus, 0-1


def stakeholder_figures(results: Mapping[str, QuestionAggregate],
                        polarity: Mapping[str, str | None]) -> dict[str, StakeholderFigure]:
    """The published overall figure of each scored question that has one."""
    out = {}
    for question_id, result in results.items():
        pol = polarity.get(question_id)
        overall = result.overall
        if pol is None or overall is None:
            continue
        barrier = sum(count for answer, count in overall.distribution.items()
                      if (severity(answer, pol) or 0) >= 1)
        out[question_id] = StakeholderFigure(
            question_id=question_id, n=overall.n, scored=overall.scored,
            index=overall.severity_index,
            barrier_share=barrier / overall.scored if overall.scored else None,
            agreement=overall.agreement)
    return out


def _difference(a: float | None, b: float | None) -> float | None:
    return abs(a - b) if a is not None and b is not None else None


@dataclass(frozen=True)
class QuestionViews:
    question_id: str
    domain_id: str
    lead_severity: int | None
    lead_index: float | None  # severity / 2 x 100
    stakeholders: StakeholderFigure | None
    divergence: float | None


@dataclass(frozen=True)
class DomainViews:
    domain_id: str
    level_id: str
    lead_index: float | None
    lead_scored: int
    stakeholder_index: float | None
    stakeholder_questions: int  # questions the stakeholder index rests on
    divergence: float | None  # mean over questions with both views
    compared: int  # questions with both views


@dataclass(frozen=True)
class SideBySide:
    questions: list[QuestionViews]
    domains: list[DomainViews]


def side_by_side(profile: Profile, figures: Mapping[str, StakeholderFigure]) -> SideBySide:
    """The lead's profile and the stakeholders' figures per question and per domain."""
    questions = []
    for score in profile.questions:
        figure = figures.get(score.question_id)
        lead = score.severity / 2 * 100 if score.severity is not None else None
        questions.append(QuestionViews(
            question_id=score.question_id, domain_id=score.domain_id,
            lead_severity=score.severity, lead_index=lead, stakeholders=figure,
            divergence=_difference(lead, figure.index if figure else None)))
    levels = {s.domain_id: s.level_id for s in profile.questions}
    domains = []
    for index in profile.domains:
        rows = [q for q in questions if q.domain_id == index.id]
        theirs = [q.stakeholders.index for q in rows
                  if q.stakeholders and q.stakeholders.index is not None]
        both = [q.divergence for q in rows if q.divergence is not None]
        domains.append(DomainViews(
            domain_id=index.id, level_id=levels.get(index.id, ""), lead_index=index.index,
            lead_scored=index.scored,
            stakeholder_index=sum(theirs) / len(theirs) if theirs else None,
            stakeholder_questions=len(theirs),
            divergence=sum(both) / len(both) if both else None, compared=len(both)))
    return SideBySide(questions=questions, domains=domains)
