"""The barrier profile of a review: severity per question, indices per domain and level.

Plain data in, plain data out (docs/methodology.md, "Barrier profile"):

- a question's severity is the lead's override where there is one, else the severity
  of the answer given its polarity (0-2);
- an index is the mean severity of the scored questions / 2 x 100, with the number
  scored beside it: 0 no barrier, 100 every question a barrier;
- "don't know" and unanswered choice questions are evidence gaps, never scores; the
  gap index is their share of the choice questions (not-applicable ones excluded).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from .instrument.schema import AnswerType, Instrument
from .scoring import effective_severity, severity


class AnswerLike(Protocol):
    answer: str
    severity_override: int | None
    override_justification: str


@dataclass(frozen=True)
class QuestionScore:
    question_id: str
    domain_id: str
    level_id: str
    answer: str  # "" when unanswered
    computed: int | None  # from answer and polarity
    severity: int | None  # the override where given, else computed
    justification: str  # of an override
    gap: bool  # don't know, or not answered


@dataclass(frozen=True)
class Index:
    id: str
    index: float | None  # 0-100, None when nothing is scored
    scored: int
    choice_questions: int  # scored, gaps and not applicable together
    gaps: int
    gap_index: float | None  # gaps / (choice questions - not applicable) x 100


@dataclass(frozen=True)
class Profile:
    questions: list[QuestionScore]
    domains: list[Index]
    levels: list[Index]
    overall: Index


def _index(ident: str, scores: list[QuestionScore]) -> Index:
    scored = [s.severity for s in scores if s.severity is not None]
    gaps = sum(s.gap for s in scores)
    applicable = sum(1 for s in scores if s.answer != "not_applicable")
    return Index(
        id=ident,
        index=sum(scored) / len(scored) / 2 * 100 if scored else None,
        scored=len(scored),
        choice_questions=len(scores),
        gaps=gaps,
        gap_index=gaps / applicable * 100 if applicable else None,
    )


def barrier_profile(instrument: Instrument, answers: Mapping[str, AnswerLike]) -> Profile:
    """The profile of ``answers`` (by question id) to ``instrument``'s choice questions."""
    questions: list[QuestionScore] = []
    domains, levels = [], []
    for level in instrument.levels:
        level_scores = []
        for domain in level.domains:
            scores = []
            for q in domain.questions:
                if q.answer_type != AnswerType.CHOICE:
                    continue
                a = answers.get(q.id)
                given = (a.answer if a else "") or ""
                override = a.severity_override if a else None
                score = QuestionScore(
                    question_id=q.id, domain_id=domain.id, level_id=level.id, answer=given,
                    computed=severity(given, q.polarity),
                    severity=effective_severity(given, q.polarity, override)
                    if given not in ("", "dont_know", "not_applicable") or override is not None
                    else None,
                    justification=(a.override_justification if a and override is not None
                                   else ""),
                    gap=given in ("", "dont_know") and override is None,
                )
                scores.append(score)
            questions.extend(scores)
            level_scores.extend(scores)
            domains.append(_index(domain.id, scores))
        levels.append(_index(level.id, level_scores))
    return Profile(questions=questions, domains=domains, levels=levels,
                   overall=_index("overall", questions))
