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

from .scoring import severity

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


def _view(group: str, members: Iterable[str], counts: Counter, polarity) -> GroupView:
    severities = [0, 0, 0]
    for answer in ("yes", "partly", "no"):
        s = severity(answer, polarity) if polarity else None
        if s is not None:
            severities[s] += counts.get(answer, 0)
    scored = sum(severities)
    index = (sum(i * c for i, c in enumerate(severities)) / scored / 2 * 100) if scored else None
    return GroupView(
        group=group, members=tuple(sorted(members)), n=sum(counts.values()),
        distribution={a: counts.get(a, 0) for a in ANSWERS},
        scored=scored, severity_index=index,
        agreement=consensus(severities) if scored else None,
    )


def _pool(name: str, members: list[str], tallies: Mapping[str, Counter], polarity):
    if not members:
        return None
    counts: Counter = Counter()
    for g in members:
        counts.update(tallies[g])
    return _view(name, members, counts, polarity)


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
    if threshold < 3:
        raise ValueError("the suppression threshold is never below 3")
    tallies: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for group, question, answer in answers:
        if answer:
            tallies[question][group][answer] += 1
    order = {g: i for i, g in enumerate(group_order)}
    results = {}
    for question, by_group in tallies.items():
        pol = polarity.get(question)
        groups = sorted(by_group, key=lambda g: (order.get(g, len(order)), g))
        shown = [g for g in groups if sum(by_group[g].values()) >= threshold]
        small = [g for g in groups if g not in shown]
        views = [_view(g, [g], by_group[g], pol) for g in shown]
        merged = _pool(MERGED, small, by_group, pol)
        withheld: list[str] = []
        if merged is not None and merged.n >= threshold:
            views.append(merged)
            units = shown + small
        else:
            withheld = small
            units = shown
        cjs = _pool("cjs", [g for g in shown if sectors.get(g) == "cjs"], by_group, pol)
        health = _pool("health", [g for g in shown if sectors.get(g) == "health"], by_group,
                       pol)
        divergence = None
        if cjs and health and cjs.severity_index is not None and (
                health.severity_index is not None):
            divergence = abs(cjs.severity_index - health.severity_index)
        results[question] = QuestionAggregate(
            question_id=question, groups=views, withheld=withheld,
            overall=_pool("overall", units, by_group, pol), cjs=cjs, health=health,
            divergence=divergence,
        )
    return results


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
