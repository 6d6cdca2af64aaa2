"""`acsreview bench analysis`: the full analysis of a coordinator's data against a floor.

Synthetic data, made up here and seeded: 30 fictional jurisdictions x 3 rounds, each
review fully answered by its lead, the later rounds with agreed actions from the
round before, and 1,000,000 stakeholder answers in all spread over the nine groups
(some of them small enough to be suppressed).

The stakeholder answers are given to both contestants as the database hands them
over: (review, group, question id, answer) tuples of Python values.

- The analysis (:func:`acsreview.core.batch.analyse`): profiles, suppressed
  consultation figures, the lead and stakeholders side by side, CJS-versus-health
  divergence, action plans, follow-up of earlier actions, the comparison of each
  round and the trend of each jurisdiction.
- The floor: the least any vectorised analysis has to do with those rows: turn the
  columns into integer codes, map answers to severities and take the mean per
  review x question x group with numpy ``bincount``. Its group-by part alone is
  printed too.

Targets (issue 5): at most 2 s, at most 3x the floor, peak memory at most 1 GB.
Peak memory is the process's maximum resident set size, data generation included.
"""

from __future__ import annotations

import resource
import statistics
import time
from operator import itemgetter
from types import SimpleNamespace

import click
import numpy as np

ROUNDS = (2022, 2024, 2026)
# ISO 3166 user-assigned codes: fictional jurisdictions only.
CODES = [f"X{chr(c)}" for c in range(ord("A"), ord("Z") + 1)] + ["QM", "QN", "QP", "QQ",
                                                                   "QR", "QS"]
# Relative sizes of the groups: prison and social stay small, to exercise suppression.
GROUP_WEIGHTS = {"police": 12, "prosecutors": 6, "judges": 4, "probation": 6, "prison": 0.02,
                 "health": 12, "social": 0.03, "participants": 10, "ngo": 3}


def make_data(inst, jurisdictions: int, answers: int, seed: int = 2026):
    """(reviews, rows): synthetic BatchReviews and stakeholder answer rows."""
    from acsreview.core.actions import action_plan
    from acsreview.core.batch import OPEN_TEXT, BatchReview
    from acsreview.core.instrument import AnswerType, iter_questions
    from acsreview.core.instrument.select import for_group
    from acsreview.core.profile import barrier_profile

    rng = np.random.default_rng(seed)
    choice = [q for q in iter_questions(inst) if q.answer_type == AnswerType.CHOICE]
    scale = np.array(["yes", "partly", "no", "dont_know"], dtype=object)
    reviews, previous = [], {}
    for j in range(jurisdictions):
        code = CODES[j]
        for r, year in enumerate(ROUNDS):
            strength = 0.3 + 0.5 * rng.random()  # how often "yes"
            p = np.array([strength, (1 - strength) * 0.45, (1 - strength) * 0.4,
                          (1 - strength) * 0.15])
            picks = rng.choice(scale, size=len(choice), p=p / p.sum())
            answers_by_id = {q.id: SimpleNamespace(answer=str(a), severity_override=None,
                                                   override_justification="")
                             for q, a in zip(choice, picks, strict=True)}
            earlier = {}
            if r and code in previous:
                plan = action_plan(inst, barrier_profile(inst, previous[code]))
                earlier = {rec.key: {b.question_id: b.severity for b in rec.barriers}
                           for rec in plan.recommendations[:5]}
            reviews.append(BatchReview(slug=f"{code}-{year}", jurisdiction=code, round=year,
                                       answers=answers_by_id, threshold=5,
                                       earlier_actions=earlier))
            previous[code] = answers_by_id
    groups = list(GROUP_WEIGHTS)
    per_group = {g: [(q.id, q.answer_type) for q in iter_questions(for_group(inst, g))]
                 for g in groups}
    weights = np.array([GROUP_WEIGHTS[g] for g in groups], dtype=float)
    stake_scale = ["yes", "partly", "no", "dont_know", "prefer_not_to_say"]
    rows: list[tuple[int, str, str, str]] = []
    per_review = answers // len(reviews)
    extra = answers - per_review * len(reviews)
    for i in range(len(reviews)):
        n = per_review + (1 if i < extra else 0)
        # whole respondents: each answers every question of its group
        chosen = rng.choice(len(groups), size=max(1, n // 20), p=weights / weights.sum())
        made = 0
        tilt = rng.random()
        for gi in chosen.tolist():
            if made >= n:
                break
            group = groups[gi]
            qs = per_group[group][: n - made]
            picks = rng.choice(5, size=len(qs), p=[0.25 + 0.3 * tilt, 0.25, 0.35 - 0.3 * tilt,
                                                   0.1, 0.05])
            for (qid, kind), a in zip(qs, picks.tolist(), strict=True):
                rows.append((i, group, qid,
                             OPEN_TEXT if kind == AnswerType.TEXT else stake_scale[a]))
            made += len(qs)
        while made < n:  # top up with police answers to the first question
            rows.append((i, "police", per_group["police"][0][0], "yes"))
            made += 1
    return reviews, rows


def floor(inst, n_reviews: int, rows) -> tuple[object, float]:
    """Mean severity per review x question x group, vectorised; and the group-by's time."""
    from acsreview.core.batch import CODES as ANSWER_CODES
    from acsreview.core.batch import encode
    from acsreview.core.instrument import iter_questions

    questions = [q.id for q in iter_questions(inst)]
    groups = [g.id for g in inst.stakeholder_groups]
    # severity of each answer code for facilitator (row 0) and barrier (row 1) questions
    table = np.full((3, len(ANSWER_CODES)), np.nan)
    table[0, :3] = (0, 1, 2)
    table[1, :3] = (2, 1, 0)
    kind = np.array([0 if q.polarity == "facilitator" else 1 if q.polarity == "barrier" else 2
                     for q in iter_questions(inst)])
    n = len(rows)
    review = np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=n)
    group = encode(list(map(itemgetter(1), rows)), {x: i for i, x in enumerate(groups)})
    question = encode(list(map(itemgetter(2), rows)), {x: i for i, x in enumerate(questions)})
    answer = encode(list(map(itemgetter(3), rows)), {x: i for i, x in enumerate(ANSWER_CODES)})
    start = time.perf_counter()
    sev = table[kind[question], answer]
    ok = ~np.isnan(sev)
    key = (review[ok] * len(questions) + question[ok]) * len(groups) + group[ok]
    size = n_reviews * len(questions) * len(groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.bincount(key, weights=sev[ok], minlength=size) / np.bincount(
            key, minlength=size)
    return means, time.perf_counter() - start


@click.command("analysis")
@click.option("--jurisdictions", default=30, show_default=True, type=click.IntRange(1, 32))
@click.option("--answers", default=1_000_000, show_default=True,
              type=click.IntRange(1000, 20_000_000), help="Stakeholder answers in all.")
@click.option("--repeat", default=5, show_default=True, type=click.IntRange(1, 100))
def analysis(jurisdictions: int, answers: int, repeat: int) -> None:
    """The full analysis of 3 rounds of JURISDICTIONS reviews against a vectorised floor.

    Targets: at most 2 s, at most 3x the floor, peak memory at most 1 GB.
    """
    from acsreview.core.batch import analyse
    from acsreview.core.instrument import shipped_library

    inst = shipped_library().get("acs-diagnostic", "1.0")
    click.echo(f"making {jurisdictions} jurisdictions x {len(ROUNDS)} rounds, "
               f"{answers:,} stakeholder answers (synthetic)...")
    reviews, rows = make_data(inst, jurisdictions, answers)
    result = analyse(inst, reviews, rows)  # warm up
    recommendations = sum(len(r.plan.recommendations) for r in result.reviews.values())
    withheld = result.withheld
    times, floors, groupbys = [], [], []
    for _ in range(repeat):  # interleaved, so both see the same machine
        start = time.perf_counter()
        analyse(inst, reviews, rows)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        _means, groupby = floor(inst, len(reviews), rows)
        floors.append(time.perf_counter() - start)
        groupbys.append(groupby)
    seconds, floor_s = statistics.median(times), statistics.median(floors)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = seconds / floor_s
    met = seconds <= 2 and ratio <= 3 and peak_mb <= 1024
    click.echo(f"{len(reviews)} reviews, {len(rows):,} answers: {recommendations} "
               f"recommendations, {len(result.comparisons)} comparisons, "
               f"{len(result.trends)} trends, {withheld} group figures withheld")
    click.echo(f"analysis: median {seconds:.3f} s over {repeat} runs (target: at most 2 s)")
    click.echo(f"floor: median {floor_s:.3f} s (of which the group-by itself "
               f"{statistics.median(groupbys) * 1000:.1f} ms)")
    click.echo(f"seconds={seconds:.4f} floor_seconds={floor_s:.4f} ratio={ratio:.2f} "
               f"peak_mb={peak_mb:.0f} reviews={len(reviews)} answers={len(rows)} "
               f"met={'yes' if met else 'no'}")
