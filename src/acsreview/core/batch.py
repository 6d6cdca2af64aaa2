"""The whole analysis of many reviews at once: for comparisons, exports and the benchmark.

One review's analysis in the web app reads its consultation through
``review_results``; a coordinator's round of thirty jurisdictions with a million
stakeholder answers needs the same figures without a Python loop per answer. Here
the answers are counted once, vectorised (numpy ``bincount`` over integer codes),
into a reviews x questions x groups x answers array, and suppression is decided for
all of them at once by the same :func:`~acsreview.core.consultation.suppress` that
decides it for a single review, so it lives in one place only.

Then, per review: barrier profile, stakeholder figures and the lead's view beside
them, CJS-versus-health divergence, the action plan and the follow-up of earlier
actions; per round: the comparison; per jurisdiction: the trend.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from operator import itemgetter
from typing import Any

import numpy as np

from .actions import FollowUp, Plan, action_plan, follow_up
from .comparison import Comparison, ReviewFacts, Trend, compare, trend
from .consultation import (
    ANSWERS,
    DomainDivergence,
    QuestionAggregate,
    figures,
    polarity_code,
    question_aggregate,
    suppress,
)
from .instrument.schema import AnswerType, Instrument
from .profile import Profile, barrier_profile
from .stakeholders import SideBySide, StakeholderFigure, side_by_side

#: Open-text answers are counted (n), never scored; this stands for one.
OPEN_TEXT = "text"
CODES = [*ANSWERS, OPEN_TEXT]


class _Codes(dict):
    """Value -> integer code; anything unknown is -1 (and then left out)."""

    def __missing__(self, key):
        return -1


def encode(values: Sequence[Any], codes: Mapping[Any, int]) -> np.ndarray:
    """``values`` as an int32 array of their codes (-1 for an unknown value)."""
    table = _Codes(codes)
    return np.fromiter(map(table.__getitem__, values), dtype=np.int32, count=len(values))


@dataclass(frozen=True)
class BatchReview:
    slug: str
    jurisdiction: str
    round: int
    answers: Mapping[str, Any]  # the lead's, by question id (.answer, .severity_override, ...)
    threshold: int = 5  # of its consultation
    instrument: str = ""  # "id version"; default the analysed instrument's
    # The agreed actions of the previous round: key -> {question id: severity when agreed}.
    earlier_actions: Mapping[str, Mapping[str, int | None]] = field(default_factory=dict)


class ReviewAnalysis:
    """One review's analysis. Its consultation's per-group views are built on demand."""

    def __init__(self, *, profile: Profile, figures: dict[str, StakeholderFigure],
                 views: SideBySide, divergence: list[DomainDivergence], plan: Plan,
                 follow_up: dict[str, FollowUp], consultation: Callable[[], dict]):
        self.profile = profile
        self.figures = figures
        self.views = views
        self.divergence = divergence  # CJS versus health, per domain
        self.plan = plan
        self.follow_up = follow_up  # by earlier action key
        self._consultation = consultation

    @cached_property
    def consultation(self) -> dict[str, QuestionAggregate]:
        """Per question, what may be published of each group: as ``aggregate`` gives it."""
        return self._consultation()


@dataclass(frozen=True)
class Analysis:
    reviews: dict[str, ReviewAnalysis]
    comparisons: dict[int, Comparison]  # by round
    trends: dict[str, Trend]  # by jurisdiction
    withheld: int  # group figures withheld, over all reviews and questions


def count_answers(rows: Sequence[tuple[int, str, str, str]], n_reviews: int,
                  questions: Sequence[str], groups: Sequence[str]) -> np.ndarray:
    """(review index, group, question id, answer) rows counted into an R x Q x G x A array.

    Rows naming an unknown review, group, question or answer are left out.
    """
    n = len(rows)
    review = np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=n)
    group = encode(list(map(itemgetter(1), rows)), {g: i for i, g in enumerate(groups)})
    question = encode(list(map(itemgetter(2), rows)), {q: i for i, q in enumerate(questions)})
    answer = encode(list(map(itemgetter(3), rows)), {a: i for i, a in enumerate(CODES)})
    shape = (n_reviews, len(questions), len(groups), len(CODES))
    valid = ((review >= 0) & (review < n_reviews) & (group >= 0) & (question >= 0)
             & (answer >= 0))
    key = ((review * shape[1] + question) * shape[2] + group) * shape[3] + answer
    counts = np.bincount(key[valid], minlength=int(np.prod(shape)))
    return counts.reshape(shape)


def _float(value: float) -> float | None:
    return None if math.isnan(value) else value


def analyse(instrument: Instrument, reviews: Sequence[BatchReview],
            rows: Sequence[tuple[int, str, str, str]]) -> Analysis:
    """The full analysis of ``reviews`` and their stakeholders' answers ``rows``.

    ``rows`` are (index into ``reviews``, group, question id, answer) of submitted
    responses; an open-text answer comes as :data:`OPEN_TEXT`.
    """
    all_questions = [q for lv in instrument.levels for d in lv.domains for q in d.questions]
    questions = [q.id for q in all_questions]
    at = {q: i for i, q in enumerate(questions)}
    groups = [g.id for g in instrument.stakeholder_groups]
    polarity = np.array([polarity_code(q.polarity.value if q.polarity and
                                       q.answer_type == AnswerType.CHOICE else None)
                         for q in all_questions])
    sides = {"cjs": [g.sector.value == "cjs" for g in instrument.stakeholder_groups],
             "health": [g.sector.value == "health" for g in instrument.stakeholder_groups]}
    domains = {d.id: [at[q.id] for q in d.questions]
               for lv in instrument.levels for d in lv.domains}
    counts = count_answers(rows, len(reviews), questions, groups)
    units = suppress(counts, CODES, [r.threshold for r in reviews], sides["cjs"],
                     sides["health"])
    overall = figures(units.overall, CODES, polarity)
    cjs = np.where(units.has_cjs, figures(units.cjs, CODES, polarity).index, np.nan)
    health = np.where(units.has_health, figures(units.health, CODES, polarity).index, np.nan)
    divergence = np.abs(cjs - health)  # NaN unless both sides are known
    published = units.has_overall & (polarity != 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = overall.barrier / overall.scored
    label = f"{instrument.id} {instrument.version}"
    out: dict[str, ReviewAnalysis] = {}
    facts: list[ReviewFacts] = []
    for i, review in enumerate(reviews):
        figs = {}
        for qi in np.flatnonzero(published[i]).tolist():
            scored = int(overall.scored[i, qi])
            figs[questions[qi]] = StakeholderFigure(
                question_id=questions[qi], n=int(overall.n[i, qi]), scored=scored,
                index=_float(float(overall.index[i, qi])),
                barrier_share=_float(float(share[i, qi])) if scored else None,
                agreement=_float(float(overall.agreement[i, qi])))
        row = divergence[i].tolist()
        domain_gaps = []
        for domain_id, idx in domains.items():
            known = [row[q] for q in idx if not math.isnan(row[q])]
            domain_gaps.append(DomainDivergence(
                domain_id, sum(known) / len(known) if known else None, len(known)))
        profile = barrier_profile(instrument, review.answers)
        out[review.slug] = ReviewAnalysis(
            profile=profile, figures=figs, views=side_by_side(profile, figs),
            divergence=domain_gaps, plan=action_plan(instrument, profile, figs),
            follow_up={key: follow_up(before, profile)
                       for key, before in review.earlier_actions.items()},
            consultation=partial(_consultation, units, counts, i, questions, groups,
                                 polarity, sides))
        facts.append(ReviewFacts(review.slug, review.jurisdiction, review.round,
                                 review.instrument or label, profile))
    by_round: dict[int, list[ReviewFacts]] = {}
    by_jurisdiction: dict[str, list[ReviewFacts]] = {}
    for f in facts:
        by_round.setdefault(f.round, []).append(f)
        by_jurisdiction.setdefault(f.jurisdiction, []).append(f)
    return Analysis(
        reviews=out,
        comparisons={r: compare(fs, instrument) for r, fs in sorted(by_round.items())},
        trends={j: trend(fs) for j, fs in sorted(by_jurisdiction.items())},
        withheld=int(units.withheld.sum()))


def _consultation(units, counts, i, questions, groups, polarity, sides):
    answered = np.flatnonzero(counts[i].sum(axis=(1, 2)))
    return {questions[qi]: question_aggregate(units, counts, i, qi, questions[qi], groups,
                                              int(polarity[qi]), sides)
            for qi in answered.tolist()}
