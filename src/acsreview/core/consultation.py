"""Aggregating stakeholder answers: per question and group, with suppression of small groups.

Plain data in, plain data out (see docs/methodology.md, "Consultation").

Suppression: a group with fewer answers to a question than the threshold is never
shown apart. Such groups are pooled into one "merged" unit, shown if the pool
reaches the threshold and withheld otherwise. Every published figure is built from
whole units (an individually shown group, or the merged pool), so that no
difference of two published figures isolates a group under the threshold: the
overall figure covers shown groups and the merged pool only, and the CJS side of a
divergence covers individually shown CJS groups only.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

MERGED = "merged"
ANSWERS = ["yes", "partly", "no", "dont_know", "not_applicable", "prefer_not_to_say"]


def consensus(counts: Sequence[int]) -> float | None:
    """Tastle and Wierman's (2007) consensus of an ordinal distribution, 0 to 1.

    ``counts[i]`` respondents chose the i-th of the ordered categories. 1 when all
    chose one category; 0 when they split evenly between the two extremes.
    Cns = 1 + sum_i p_i log2(1 - |i - mean| / (k - 1)).
    """
    total = sum(counts)
    if total == 0 or len(counts) < 2:
        return None
    width = len(counts) - 1
    mean = sum(i * c for i, c in enumerate(counts)) / total
    value = 1.0
    for i, c in enumerate(counts):
        if c:
            distance = abs(i - mean) / width
            if distance >= 1:  # only when everyone sits at one extreme... and the mean too
                return 0.0
            value += (c / total) * math.log2(1 - distance)
    return max(0.0, min(1.0, value))


@dataclass(frozen=True)
class GroupView:
    """What may be shown of one publication unit's answers to one question."""

    group: str  # a group id, or MERGED
    members: tuple[str, ...]  # the groups in the unit
    n: int  # answers of any kind
    distribution: dict[str, int]
    scored: int  # yes, partly or no
    severity_index: float | None  # mean severity / 2 x 100, over scored answers
    agreement: float | None  # consensus of the severities (0, 1, 2)


@dataclass(frozen=True)
class QuestionAggregate:
    question_id: str
    groups: list[GroupView]  # individually shown groups, then the merged pool if shown
    withheld: list[str]  # groups too small to show, even pooled
    overall: GroupView | None
    cjs: GroupView | None  # individually shown CJS groups, pooled
    health: GroupView | None
    divergence: float | None  # |CJS index - health index|, in index points


@dataclass(frozen=True)
class DomainDivergence:
    domain_id: str
    divergence: float | None  # mean over the domain's questions that have one
    questions: int  # how many questions it rests on


def consensus_array(counts) -> np.ndarray:
    """:func:`consensus` of many distributions at once, ``counts[..., k]``; NaN where empty."""
    counts = np.asarray(counts, dtype=float)
    k = counts.shape[-1]
    total = counts.sum(-1, keepdims=True)
    steps = np.arange(k)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / total
        mean = (p * steps).sum(-1, keepdims=True)
        distance = np.abs(steps - mean) / (k - 1)
        terms = np.where(counts > 0, p * np.log2(np.maximum(1 - distance, 1e-300)), 0.0)
        value = np.clip(1 + terms.sum(-1), 0.0, 1.0)
    value = np.where(((counts > 0) & (distance >= 1)).any(-1), 0.0, value)
    return np.where(total[..., 0] > 0, value, np.nan)


def polarity_code(polarity: str | None) -> int:
    """1 for a facilitator question, -1 for a barrier question, 0 for one not scored."""
    return 1 if polarity == "facilitator" else -1 if polarity == "barrier" else 0


def severity_counts(counts: np.ndarray, answers: Sequence[str],
                    polarity: np.ndarray) -> np.ndarray:
    """Answers per severity 0, 1, 2 (a new last axis) of ``counts[..., q, a]``.

    ``polarity[q]`` is a :func:`polarity_code`; the axis ``a`` holds ``answers``.
    """
    col = {a: i for i, a in enumerate(answers)}
    zero = np.zeros(counts.shape[:-1], dtype=counts.dtype)

    def take(answer):
        return counts[..., col[answer]] if answer in col else zero

    yes, partly, no = take("yes"), take("partly"), take("no")
    fac, bar = polarity == 1, polarity == -1
    return np.stack([np.where(fac, yes, np.where(bar, no, zero)),
                     np.where(fac | bar, partly, zero),
                     np.where(fac, no, np.where(bar, yes, zero))], axis=-1)


@dataclass(frozen=True)
class Figures:
    """n, scored, severity index and agreement of many units at once (NaN: none)."""

    n: np.ndarray
    scored: np.ndarray
    index: np.ndarray  # mean severity / 2 x 100 over scored answers
    agreement: np.ndarray  # consensus of the severities
    barrier: np.ndarray  # scored answers with severity 1 or 2


def figures(counts: np.ndarray, answers: Sequence[str], polarity: np.ndarray) -> Figures:
    """The figures of units ``counts[..., q, a]`` of questions of ``polarity[q]``."""
    sev = severity_counts(counts, answers, polarity)
    scored = sev.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = (sev[..., 1] + 2 * sev[..., 2]) / scored / 2 * 100
    return Figures(n=counts.sum(-1), scored=scored, index=np.where(scored > 0, index, np.nan),
                   agreement=consensus_array(sev), barrier=sev[..., 1] + sev[..., 2])


@dataclass(frozen=True)
class Units:
    """What may be published of ``counts[r, q, g, a]`` (consultation, question, group,
    answer), decided for all of them at once by :func:`suppress`."""

    answers: list[str]  # the a axis
    shown: np.ndarray  # r, q, g: the group is shown apart
    small: np.ndarray  # r, q, g: answered, but under the threshold
    merged: np.ndarray  # r, q, a: the pool of the small groups
    merged_shown: np.ndarray  # r, q: the pool reaches the threshold
    overall: np.ndarray  # r, q, a: shown groups, and the pool if shown
    has_overall: np.ndarray  # r, q
    cjs: np.ndarray  # r, q, a: individually shown CJS groups
    health: np.ndarray  # r, q, a: individually shown health groups
    has_cjs: np.ndarray  # r, q
    has_health: np.ndarray  # r, q

    @property
    def withheld(self) -> np.ndarray:
        """r, q, g: small groups whose pool does not reach the threshold either."""
        return self.small & ~self.merged_shown[..., None]


def suppress(counts: np.ndarray, answers: Sequence[str], thresholds, cjs, health) -> Units:
    """The suppression rule of this module's docstring, for many consultations at once.

    ``thresholds[r]`` is consultation r's threshold; ``cjs[g]`` and ``health[g]`` say
    which groups are on each side of a divergence.
    """
    thresholds = np.asarray(thresholds)
    if (thresholds < 3).any():
        raise ValueError("the suppression threshold is never below 3")
    n = counts.sum(-1)
    shown = n >= thresholds[:, None, None]
    small = (n > 0) & ~shown
    merged = (counts * small[..., None]).sum(2)
    merged_n = merged.sum(-1)
    merged_shown = (merged_n > 0) & (merged_n >= thresholds[:, None])
    units = shown | (small & merged_shown[..., None])
    on_cjs = shown & np.asarray(cjs, dtype=bool)
    on_health = shown & np.asarray(health, dtype=bool)
    return Units(
        answers=list(answers), shown=shown, small=small, merged=merged,
        merged_shown=merged_shown, overall=(counts * units[..., None]).sum(2),
        has_overall=units.any(-1), cjs=(counts * on_cjs[..., None]).sum(2),
        health=(counts * on_health[..., None]).sum(2), has_cjs=on_cjs.any(-1),
        has_health=on_health.any(-1))


def _optional(value) -> float | None:
    return None if math.isnan(value) else float(value)


def _view(group: str, members: Iterable[str], counts: np.ndarray, answers: Sequence[str],
          pol: int) -> GroupView:
    f = figures(counts[None, :], answers, np.array([pol]))
    by_answer = dict(zip(answers, counts.tolist(), strict=True))
    return GroupView(
        group=group, members=tuple(sorted(members)), n=int(f.n[0]),
        distribution={a: by_answer.get(a, 0) for a in ANSWERS},
        scored=int(f.scored[0]), severity_index=_optional(f.index[0]),
        agreement=_optional(f.agreement[0]))


def question_aggregate(units: Units, counts: np.ndarray, r: int, qi: int, question: str,
                       groups: Sequence[str], pol: int,
                       sides: Mapping[str, Sequence[bool]]) -> QuestionAggregate:
    """The published views of question ``qi`` of consultation ``r``, as objects."""
    answers = units.answers
    shown = [g for gi, g in enumerate(groups) if units.shown[r, qi, gi]]
    small = [g for gi, g in enumerate(groups) if units.small[r, qi, gi]]
    views = [_view(g, [g], counts[r, qi, gi], answers, pol)
             for gi, g in enumerate(groups) if units.shown[r, qi, gi]]
    if small and units.merged_shown[r, qi]:
        views.append(_view(MERGED, small, units.merged[r, qi], answers, pol))
        withheld = []
    else:
        withheld = small
    members = [g for g in groups if g in shown or (g in small and not withheld)]

    def side(name, flag, pooled, has):
        inside = [g for gi, g in enumerate(groups) if units.shown[r, qi, gi] and flag[gi]]
        return _view(name, inside, pooled[r, qi], answers, pol) if has[r, qi] else None

    cjs = side("cjs", sides["cjs"], units.cjs, units.has_cjs)
    health = side("health", sides["health"], units.health, units.has_health)
    divergence = None
    if cjs and health and cjs.severity_index is not None and (
            health.severity_index is not None):
        divergence = abs(cjs.severity_index - health.severity_index)
    return QuestionAggregate(
        question_id=question, groups=views, withheld=withheld,
        overall=_view("overall", members, units.overall[r, qi], answers, pol)
        if units.has_overall[r, qi] else None,
        cjs=cjs, health=health, divergence=divergence)


def tally(answers: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, Counter]]:
    """Count (group, question id, answer) triples: question -> group -> answer -> count.

    Empty answers are not counted.
    """
    tallies: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for group, question, answer in answers:
        if answer:
            tallies[question][group][answer] += 1
    return tallies


def aggregate(
    answers: Iterable[tuple[str, str, str]],
    *,
    polarity: Mapping[str, str | None],
    sectors: Mapping[str, str],
    threshold: int,
    group_order: Sequence[str] = (),
) -> dict[str, QuestionAggregate]:
    """Aggregate (group, question id, answer) triples of submitted responses.

    ``polarity`` maps each question to its polarity (None for open text: counted,
    not scored); ``sectors`` maps each group to "cjs", "health" or "other".
    """
    return aggregate_tallies(tally(answers), polarity=polarity, sectors=sectors,
                             threshold=threshold, group_order=group_order)


def aggregate_tallies(
    tallies: Mapping[str, Mapping[str, Mapping[str, int]]],
    *,
    polarity: Mapping[str, str | None],
    sectors: Mapping[str, str],
    threshold: int,
    group_order: Sequence[str] = (),
) -> dict[str, QuestionAggregate]:
    """:func:`aggregate` over counts already made: question -> group -> answer -> count.

    Suppression itself is :func:`suppress`, which the analysis of many reviews at
    once (:mod:`acsreview.core.batch`) calls too.
    """
    if threshold < 3:
        raise ValueError("the suppression threshold is never below 3")
    order = {g: i for i, g in enumerate(group_order)}
    questions = [q for q, by_group in tallies.items()
                 if any(sum(c.values()) for c in by_group.values())]
    groups = sorted({g for q in questions for g in tallies[q]},
                    key=lambda g: (order.get(g, len(order)), g))
    extra = sorted({a for q in questions for c in tallies[q].values() for a in c}
                   - set(ANSWERS))
    answers = [*ANSWERS, *extra]
    g_at = {g: i for i, g in enumerate(groups)}
    a_at = {a: i for i, a in enumerate(answers)}
    counts = np.zeros((1, len(questions), len(groups), len(answers)), dtype=np.int64)
    for qi, q in enumerate(questions):
        for g, c in tallies[q].items():
            for a, v in c.items():
                counts[0, qi, g_at[g], a_at[a]] += v
    units = suppress(counts, answers, [threshold],
                     [sectors.get(g) == "cjs" for g in groups],
                     [sectors.get(g) == "health" for g in groups])
    flags = {"cjs": [sectors.get(g) == "cjs" for g in groups],
             "health": [sectors.get(g) == "health" for g in groups]}
    return {q: question_aggregate(units, counts, 0, qi, q, groups,
                                  polarity_code(polarity.get(q)), flags)
            for qi, q in enumerate(questions)}


def domain_divergence(results: Mapping[str, QuestionAggregate],
                      domains: Mapping[str, Sequence[str]]) -> list[DomainDivergence]:
    """Per domain, the mean CJS-versus-health divergence of its questions that have one."""
    out = []
    for domain_id, question_ids in domains.items():
        values = [results[q].divergence for q in question_ids
                  if q in results and results[q].divergence is not None]
        out.append(DomainDivergence(domain_id, sum(values) / len(values) if values else None,
                                    len(values)))
    return out
