"""The action plan: barriers ranked into areas for action, each recommendation explained.

After the CFIR-ERIC matching tool (Waltz et al. 2019, Implementation Science 14:42):
each barrier *endorses* the actions it is mapped to, and actions are ranked by the
cumulative weight of the barriers that endorse them. Here (docs/methodology.md,
"Action plan"):

- an action is one of the instrument's six areas for action at one of its three
  levels; every question is mapped to its areas, and a barrier at a level endorses
  those areas at that level;
- a question is a barrier when its severity is above 0: the lead's (or the lead's
  override), or where the lead has none, the stakeholders' published index;
- its weight is severity x agreement x lever, each between 0 and 1:

  - severity: the lead's severity / 2 (0, 0.5 or 1), else the stakeholder index / 100;
  - agreement: 0.5 + 0.5 x the share of stakeholders who see a barrier there, or
    0.75 when no stakeholder figure is published (neither confirmed nor disputed);
    stakeholders can halve a barrier's weight, never erase the lead's judgement;
  - lever: 1 when policy makers can change the factor (the question's policy lever),
    else 0.5;

- an action's weight is the exact sum (:func:`math.fsum`) of its barriers' weights,
  so that the ranking does not depend on the order questions come in; ties go in
  the instrument's order of levels, then areas;
- each recommendation lists its barriers (heaviest first), the concrete facilitators
  the instrument maps to them (catalogue entries for that area, weighted the same
  way) and the best-practice principles they touch.

:func:`follow_up` answers the seed's question for an earlier action: did it have the
desired effect on the severity of its barriers?
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from .instrument.schema import AnswerType, Instrument
from .profile import Profile
from .stakeholders import StakeholderFigure

#: Weight of the agreement factor when no stakeholder figure is published.
UNCONFIRMED = 0.75
#: Weight of the lever factor for a factor policy makers cannot change directly.
NO_LEVER = 0.5


class Basis(StrEnum):
    LEAD = "lead"  # the lead's severity (or override)
    STAKEHOLDERS = "stakeholders"  # the lead had none; the stakeholders' index


@dataclass(frozen=True)
class Barrier:
    """One question as a barrier, and why it weighs what it weighs."""

    question_id: str
    domain_id: str
    level_id: str
    basis: Basis
    severity: int | None  # the lead's (None when the basis is the stakeholders')
    overridden: bool
    stakeholder_index: float | None
    barrier_share: float | None  # of stakeholders seeing a barrier, 0-1
    agreement: float | None  # Tastle-Wierman consensus among stakeholders, 0-1
    stakeholders_n: int
    policy_lever: bool
    severity_factor: float
    agreement_factor: float
    lever_factor: float
    weight: float


@dataclass(frozen=True)
class Facilitator:
    entry_id: str  # a catalogue entry
    weight: float  # of the barriers that point to it
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    key: str  # "<level>:<area>", stable across rounds
    level_id: str
    area_id: str
    rank: int  # 1 = heaviest
    weight: float
    barriers: tuple[Barrier, ...]
    facilitators: tuple[Facilitator, ...]
    principles: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    recommendations: list[Recommendation]
    barriers: int  # questions weighing in
    gaps: list[str]  # scored questions nobody answered: no lead score, no stakeholder figure


def recommendation_key(level_id: str, area_id: str) -> str:
    return f"{level_id}:{area_id}"


def barrier_of(question, score, figure: StakeholderFigure | None) -> Barrier | None:
    """``question`` as a barrier given the lead's ``score`` and the stakeholders' figure."""
    if score is not None and score.severity is None and score.answer == "not_applicable":
        return None  # out of scope, by the lead's judgement: stakeholders do not overrule it
    if score is not None and score.severity is not None:
        basis, severity_factor = Basis.LEAD, score.severity / 2
    elif figure is not None and figure.index is not None:
        basis, severity_factor = Basis.STAKEHOLDERS, figure.index / 100
    else:
        return None
    if severity_factor <= 0:
        return None
    share = figure.barrier_share if figure else None
    agreement_factor = UNCONFIRMED if share is None else 0.5 + 0.5 * share
    lever_factor = 1.0 if question.policy_lever else NO_LEVER
    return Barrier(
        question_id=question.id, domain_id=score.domain_id if score else "",
        level_id=score.level_id if score else "", basis=basis,
        severity=score.severity if basis == Basis.LEAD else None,
        overridden=bool(score and score.justification),
        stakeholder_index=figure.index if figure else None, barrier_share=share,
        agreement=figure.agreement if figure else None,
        stakeholders_n=figure.n if figure else 0, policy_lever=bool(question.policy_lever),
        severity_factor=severity_factor, agreement_factor=agreement_factor,
        lever_factor=lever_factor,
        weight=severity_factor * agreement_factor * lever_factor)


def action_plan(instrument: Instrument, profile: Profile,
                figures: Mapping[str, StakeholderFigure] | None = None) -> Plan:
    """The ranked, explained action plan of a review's ``profile`` (and stakeholder figures)."""
    figures = figures or {}
    scores = {s.question_id: s for s in profile.questions}
    catalogue = {e.id: e for e in instrument.catalogue}
    level_order = {lv.id: i for i, lv in enumerate(instrument.levels)}
    area_order = {a.id: i for i, a in enumerate(instrument.areas_for_action)}
    principle_order = {p.id: i for i, p in enumerate(instrument.principles)}
    endorsed: dict[tuple[str, str], list] = {}
    gaps, count = [], 0
    for level in instrument.levels:
        for domain in level.domains:
            for q in domain.questions:
                if q.answer_type != AnswerType.CHOICE or q.polarity is None:
                    continue
                score = scores.get(q.id)
                figure = figures.get(q.id)
                barrier = barrier_of(q, score, figure)
                if barrier is None:
                    if (score is None or score.severity is None) and (
                            figure is None or figure.index is None) and (
                            score is None or score.answer != "not_applicable"):
                        gaps.append(q.id)
                    continue
                count += 1
                for area in q.areas:
                    endorsed.setdefault((level.id, area), []).append((q, barrier))
    recommendations = []
    for (level_id, area), items in endorsed.items():
        weight = math.fsum(b.weight for _q, b in items)
        pointers: dict[str, list] = {}
        for q, b in items:
            own = [e for e in q.facilitators if e in catalogue]
            matching = [e for e in own if area in catalogue[e].areas]
            # An entry mapped to none of the question's areas goes with each of them.
            loose = [e for e in own if not set(catalogue[e].areas) & set(q.areas)]
            for entry in matching + loose:
                pointers.setdefault(entry, []).append(b)
        facilitators = sorted(
            (Facilitator(entry, math.fsum(b.weight for b in bs),
                         tuple(sorted({b.question_id for b in bs})))
             for entry, bs in pointers.items()),
            key=lambda f: (-f.weight, f.entry_id))
        principles = sorted({p for q, _b in items for p in q.principles},
                            key=lambda p: (principle_order.get(p, len(principle_order)), p))
        recommendations.append(Recommendation(
            key=recommendation_key(level_id, area), level_id=level_id, area_id=area, rank=0,
            weight=weight,
            barriers=tuple(sorted((b for _q, b in items),
                                  key=lambda b: (-b.weight, b.question_id))),
            facilitators=tuple(facilitators), principles=tuple(principles)))
    # Rounded, so that sums equal but for the last bit of a float count as the tie they are.
    recommendations.sort(key=lambda r: (-round(r.weight, 9), level_order.get(r.level_id, 99),
                                        area_order.get(r.area_id, 99), r.key))
    ranked = [replace(r, rank=i)
              for i, r in enumerate(recommendations, start=1)]
    return Plan(recommendations=ranked, barriers=count, gaps=sorted(gaps))


class Outcome(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSENED = "worsened"
    NOT_KNOWN = "not_known"  # none of its barriers is scored in both rounds


@dataclass(frozen=True)
class BarrierChange:
    question_id: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class FollowUp:
    barriers: list[BarrierChange]
    before: float | None  # index (0-100) of the barriers scored in both rounds, then
    after: float | None  # and now
    compared: int
    outcome: Outcome


def follow_up(before: Mapping[str, int | None], now: Profile) -> FollowUp:
    """What happened to the severity of an earlier action's barriers in ``now``.

    ``before`` maps the action's barrier questions to their severity when it was agreed.
    The outcome compares the mean severity of the barriers scored in both rounds.
    """
    current = {s.question_id: s.severity for s in now.questions}
    changes = [BarrierChange(q, before[q], current.get(q)) for q in sorted(before)]
    both = [c for c in changes if c.change is not None]
    if not both:
        return FollowUp(changes, None, None, 0, Outcome.NOT_KNOWN)
    then = sum(c.before for c in both) / len(both) / 2 * 100
    after = sum(c.after for c in both) / len(both) / 2 * 100
    outcome = (Outcome.IMPROVED if after < then else
               Outcome.WORSENED if after > then else Outcome.UNCHANGED)
    return FollowUp(changes, then, after, len(both), outcome)
