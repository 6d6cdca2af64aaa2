"""The analysis of many reviews at once gives what each review's own analysis gives."""

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acsreview.core.actions import action_plan
from acsreview.core.batch import OPEN_TEXT, BatchReview, analyse
from acsreview.core.comparison import ReviewFacts, compare
from acsreview.core.consultation import aggregate, domain_divergence
from acsreview.core.instrument import AnswerType, iter_questions, shipped_library
from acsreview.core.profile import barrier_profile
from acsreview.core.stakeholders import stakeholder_figures

INSTRUMENT = shipped_library().get("acs-diagnostic", "1.0")
QUESTIONS = list(iter_questions(INSTRUMENT))
CHOICE = [q.id for q in QUESTIONS if q.answer_type == AnswerType.CHOICE]
TEXT = [q.id for q in QUESTIONS if q.answer_type == AnswerType.TEXT]
GROUPS = [g.id for g in INSTRUMENT.stakeholder_groups]
POLARITY = {q.id: (q.polarity.value if q.polarity and q.answer_type == AnswerType.CHOICE
                   else None) for q in QUESTIONS}
SECTORS = {g.id: g.sector.value for g in INSTRUMENT.stakeholder_groups}
DOMAINS = {d.id: [q.id for q in d.questions] for lv in INSTRUMENT.levels for d in lv.domains}


@dataclass
class A:
    answer: str
    severity_override: int | None = None
    override_justification: str = ""


# few questions and groups, so that groups straddle the threshold
stakeholder_rows = st.lists(st.tuples(
    st.integers(0, 2), st.sampled_from(GROUPS[:5]), st.sampled_from(CHOICE[:4] + TEXT[:1]),
    st.sampled_from(["yes", "partly", "no", "dont_know", "prefer_not_to_say"])),
    max_size=120)
lead_answers = st.dictionaries(st.sampled_from(CHOICE), st.builds(
    A, st.sampled_from(["yes", "partly", "no", "dont_know"])), max_size=30)


def reviews_of(leads, thresholds):
    return [BatchReview(slug=f"X{c}-2026", jurisdiction=f"X{c}", round=2026, answers=lead,
                        threshold=t)
            for c, lead, t in zip("ABC", leads, thresholds, strict=True)]


def one_by_one(rows, i, threshold):
    triples = [(g, q, OPEN_TEXT if q in TEXT else a) for r, g, q, a in rows if r == i]
    return aggregate(triples, polarity=POLARITY, sectors=SECTORS, threshold=threshold,
                     group_order=GROUPS)


@settings(max_examples=60, deadline=None)
@given(stakeholder_rows, st.lists(lead_answers, min_size=3, max_size=3),
       st.lists(st.integers(3, 6), min_size=3, max_size=3))
def test_the_batch_agrees_with_each_reviews_own_analysis(rows, leads, thresholds):
    rows = [(r, g, q, OPEN_TEXT if q in TEXT else a) for r, g, q, a in rows]
    reviews = reviews_of(leads, thresholds)
    result = analyse(INSTRUMENT, reviews, rows)
    for i, review in enumerate(reviews):
        alone = one_by_one(rows, i, thresholds[i])
        mine = result.reviews[review.slug]
        assert mine.consultation == alone
        figures = stakeholder_figures(alone, {k: v for k, v in POLARITY.items() if v})
        assert mine.figures.keys() == figures.keys()
        for qid, fig in figures.items():
            other = mine.figures[qid]
            assert (other.n, other.scored, other.barrier_share) == (
                fig.n, fig.scored, fig.barrier_share)
            assert other.index == pytest.approx(fig.index, nan_ok=True)
            assert other.agreement == pytest.approx(fig.agreement, nan_ok=True)
        expected = domain_divergence(alone, DOMAINS)
        assert [(d.domain_id, d.questions) for d in mine.divergence] == [
            (d.domain_id, d.questions) for d in expected]
        profile = barrier_profile(INSTRUMENT, review.answers)
        assert mine.profile == profile
        assert ([(r.key, r.rank) for r in mine.plan.recommendations]
                == [(r.key, r.rank) for r in action_plan(INSTRUMENT, profile,
                                                          mine.figures).recommendations])
    facts = [ReviewFacts(r.slug, r.jurisdiction, r.round, "acs-diagnostic 1.0",
                         barrier_profile(INSTRUMENT, r.answers)) for r in reviews]
    assert result.comparisons[2026] == compare(facts, INSTRUMENT)


def test_rows_naming_something_unknown_are_left_out():
    reviews = reviews_of([{}, {}, {}], [3, 3, 3])
    rows = [(0, "police", "SYS-SOC-03", "yes")] * 3 + [
        (0, "aliens", "SYS-SOC-03", "yes"), (0, "police", "NOPE-01", "yes"),
        (0, "police", "SYS-SOC-03", "maybe"), (7, "police", "SYS-SOC-03", "yes")]
    result = analyse(INSTRUMENT, reviews, rows)
    fig = result.reviews["XA-2026"].figures["SYS-SOC-03"]
    assert (fig.n, fig.index) == (3, 100.0)
    assert result.reviews["XB-2026"].figures == {}


def test_a_small_group_is_withheld_in_the_batch_too():
    reviews = reviews_of([{}, {}, {}], [5, 5, 5])
    rows = [(0, "police", "SYS-SOC-03", "yes")] * 5 + [(0, "prison", "SYS-SOC-03", "no")] * 2
    result = analyse(INSTRUMENT, reviews, rows)
    assert result.withheld == 1
    (q,) = result.reviews["XA-2026"].consultation.values()
    assert q.withheld == ["prison"]
    assert result.reviews["XA-2026"].figures["SYS-SOC-03"].n == 5  # police only


def test_bench_analysis_prints_its_figures(cli):
    result = cli("bench", "analysis", "--jurisdictions", "2", "--answers", "3000",
                 "--repeat", "1")
    assert result.exit_code == 0, result.output
    last = dict(pair.split("=") for pair in result.output.strip().splitlines()[-1].split())
    assert {"seconds", "floor_seconds", "ratio", "peak_mb", "met"} <= last.keys()
    assert last["reviews"] == "6" and last["answers"] == "3000"
    assert float(last["ratio"]) == pytest.approx(
        float(last["seconds"]) / float(last["floor_seconds"]), rel=0.1)
