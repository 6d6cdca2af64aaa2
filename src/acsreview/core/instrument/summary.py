"""Counts of an instrument, for `instrument show`, the home page and the docs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .checks import iter_questions
from .schema import AnswerType, Instrument
from .select import effective_groups


@dataclass(frozen=True)
class DomainCount:
    id: str
    label: str
    questions: int
    scored: int
    open: int


@dataclass(frozen=True)
class LevelCount:
    id: str
    label: str
    domains: list[DomainCount]

    @property
    def questions(self) -> int:
        return sum(d.questions for d in self.domains)


@dataclass(frozen=True)
class Summary:
    levels: list[LevelCount]
    questions: int
    scored: int
    open: int
    questions_per_group: dict[str, int]
    questions_per_area: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def domains(self) -> int:
        return sum(len(level.domains) for level in self.levels)


def area_level_matrix(inst: Instrument) -> dict[str, dict[str, list[str]]]:
    """The six areas for action x the three levels: the questions mapped to each cell.

    The seed sets the areas for action against the system, provider and client levels;
    a cell lists the questions whose barriers that area of action would address there.
    """
    matrix = {a.id: {level.id: [] for level in inst.levels} for a in inst.areas_for_action}
    for level in inst.levels:
        for domain in level.domains:
            for q in domain.questions:
                for area in q.areas:
                    matrix[area][level.id].append(q.id)
    return matrix


def summarize(inst: Instrument) -> Summary:
    levels = []
    per_group: Counter[str] = Counter()
    for level in inst.levels:
        domains = []
        for domain in level.domains:
            scored = sum(q.answer_type == AnswerType.CHOICE for q in domain.questions)
            domains.append(DomainCount(domain.id, domain.label, len(domain.questions), scored,
                                       len(domain.questions) - scored))
            for q in domain.questions:
                per_group.update(effective_groups(q, domain))
        levels.append(LevelCount(level.id, level.label, domains))
    questions = list(iter_questions(inst))
    per_area: Counter[str] = Counter(a for q in questions for a in q.areas)
    scored = sum(q.answer_type == AnswerType.CHOICE for q in questions)
    return Summary(
        levels=levels,
        questions=len(questions),
        scored=scored,
        open=len(questions) - scored,
        questions_per_group={g.id: per_group[g.id] for g in inst.stakeholder_groups},
        questions_per_area={a.id: per_area[a.id] for a in inst.areas_for_action},
        counts={
            "client_factors": len(inst.client_factors),
            "catalogue_barriers": sum(c.kind == "barrier" for c in inst.catalogue),
            "catalogue_facilitators": sum(c.kind == "facilitator" for c in inst.catalogue),
            "catalogue_themes": sum(c.kind == "theme" for c in inst.catalogue),
            "principles": len(inst.principles),
            "correspondent_questions": len(inst.correspondent_questions),
            "cjs_stages": len(inst.cjs_stages),
            "measure_types": len(inst.measure_types),
            "sources": len(inst.sources),
        },
    )
