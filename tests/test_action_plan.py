"""The ranked action plan (core): hand-computed weights, explanations, follow-up, properties."""

import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acsreview.core.actions import (
    NO_LEVER,
    UNCONFIRMED,
    Basis,
    Outcome,
    action_plan,
    follow_up,
)
from acsreview.core.instrument import AnswerType, iter_questions, shipped_library
from acsreview.core.profile import barrier_profile
from acsreview.core.stakeholders import StakeholderFigure

INSTRUMENT = shipped_library().get("acs-diagnostic", "1.0")
CHOICE_IDS = [q.id for q in iter_questions(INSTRUMENT) if q.answer_type == AnswerType.CHOICE]


@dataclass
class A:
    answer: str
    severity_override: int | None = None
    override_justification: str = ""


def only(**given):
    """Every choice question not applicable except those given (ids with _ for -)."""
    answers = {q: A("not_applicable") for q in CHOICE_IDS}
    answers.update({k.replace("_", "-"): v if isinstance(v, A) else A(v)
                    for k, v in given.items()})
    return answers


def figure(qid, index, share, n=10, agreement=0.5):
    return StakeholderFigure(question_id=qid, n=n, scored=n, index=index,
                             barrier_share=share, agreement=agreement)


GOLDEN_FIGURES = {
    "SYS-SOC-01": figure("SYS-SOC-01", 50.0, 0.5),
    "SYS-SOC-03": figure("SYS-SOC-03", 90.0, 1.0),
    "SYS-REG-03": figure("SYS-REG-03", 50.0, 0.6),
}


def golden_plan():
    answers = only(SYS_REG_01="no", SYS_REG_02="partly", SYS_SOC_01="no", SYS_SOC_03="yes",
                   SYS_REG_03="dont_know", SYS_REG_04="dont_know", SYS_REG_05="yes")
    return action_plan(INSTRUMENT, barrier_profile(INSTRUMENT, answers), GOLDEN_FIGURES)


def test_a_hand_computed_ranking():
    plan = golden_plan()
    # SYS-REG-01 no: 1 x 0.75 (no stakeholder figure) x 1 (lever)           = 0.75
    # SYS-REG-02 partly: 0.5 x 0.75 x 1                                       = 0.375
    # SYS-SOC-01 no: 1 x (0.5 + 0.5 x 0.5) x 0.5 (no lever)                   = 0.375
    # SYS-SOC-03 yes to a barrier: 1 x (0.5 + 0.5 x 1.0) x 1                  = 1.0
    # SYS-REG-03 don't know, stakeholders 50: 0.5 x (0.5 + 0.5 x 0.6) x 1     = 0.4
    ranked = [(r.rank, r.key, round(r.weight, 6)) for r in plan.recommendations]
    assert ranked == [
        (1, "system:address_barriers", 2.125),  # 0.75 + 0.375 + 1.0
        (2, "system:awareness", 0.775),  # 0.375 + 0.4
        (3, "system:best_practice", 0.4),
        (4, "system:coordination", 0.375),
    ]
    assert plan.barriers == 5
    assert plan.gaps == ["SYS-REG-04"]  # don't know, and no stakeholder figure


def test_each_recommendation_explains_its_barriers():
    first = golden_plan().recommendations[0]
    assert [b.question_id for b in first.barriers] == ["SYS-SOC-03", "SYS-REG-01", "SYS-REG-02"]
    soc = first.barriers[0]
    assert (soc.basis, soc.severity, soc.stakeholder_index, soc.barrier_share) == (
        Basis.LEAD, 2, 90.0, 1.0)
    assert (soc.severity_factor, soc.agreement_factor, soc.lever_factor, soc.weight) == (
        1.0, 1.0, 1.0, 1.0)
    reg = first.barriers[1]
    assert (reg.agreement_factor, reg.stakeholders_n) == (UNCONFIRMED, 0)
    awareness = golden_plan().recommendations[1]
    by_id = {b.question_id: b for b in awareness.barriers}
    assert by_id["SYS-SOC-01"].lever_factor == NO_LEVER
    assert by_id["SYS-REG-03"].basis == Basis.STAKEHOLDERS
    assert by_id["SYS-REG-03"].severity is None


def test_facilitators_are_those_of_the_area_weighted_by_their_barriers():
    plan = {r.key: r for r in golden_plan().recommendations}
    barriers = plan["system:address_barriers"].facilitators
    assert [(f.entry_id, round(f.weight, 6)) for f in barriers] == [
        ("CAT-EU-05", 0.75), ("CAT-OF-01", 0.75), ("CAT-OF-07", 0.75),
        # CAT-OF-05 (evidence) matches none of SYS-REG-02's areas: it goes with each
        ("CAT-OF-05", 0.375), ("CAT-OF-08", 0.375)]
    awareness = plan["system:awareness"].facilitators
    assert [(f.entry_id, round(f.weight, 6), f.questions) for f in awareness] == [
        ("CAT-OF-08", 0.775, ("SYS-REG-03", "SYS-SOC-01")),
        ("CAT-OF-06", 0.4, ("SYS-REG-03",))]


def test_an_override_weighs_as_the_lead_set_it():
    plain = action_plan(INSTRUMENT, barrier_profile(INSTRUMENT, only(SYS_REG_01="yes")))
    assert plain.recommendations == []
    overridden = action_plan(INSTRUMENT, barrier_profile(
        INSTRUMENT, only(SYS_REG_01=A("yes", 2, "the law exists but is never used"))))
    (rec,) = overridden.recommendations
    assert rec.barriers[0].overridden and rec.barriers[0].severity == 2
    assert rec.weight == pytest.approx(0.75)


def test_disagreeing_stakeholders_halve_a_barrier_but_never_erase_it():
    profile = barrier_profile(INSTRUMENT, only(SYS_SOC_03="yes"))
    none_agree = action_plan(INSTRUMENT, profile, {
        "SYS-SOC-03": figure("SYS-SOC-03", 0.0, 0.0)})
    all_agree = action_plan(INSTRUMENT, profile, {
        "SYS-SOC-03": figure("SYS-SOC-03", 100.0, 1.0)})
    assert none_agree.recommendations[0].weight == pytest.approx(0.5)
    assert all_agree.recommendations[0].weight == pytest.approx(1.0)


def test_follow_up_compares_the_barriers_scored_in_both_rounds():
    now = barrier_profile(INSTRUMENT, only(SYS_REG_01="yes", SYS_REG_02="no"))
    result = follow_up({"SYS-REG-01": 2, "SYS-REG-02": 1, "SYS-REG-03": 2}, now)
    changes = {c.question_id: (c.before, c.after, c.change) for c in result.barriers}
    assert changes == {"SYS-REG-01": (2, 0, -2), "SYS-REG-02": (1, 2, 1),
                       "SYS-REG-03": (2, None, None)}  # not applicable now
    # both rounds: (2 + 1) / 2 / 2 x 100 = 75 then, (0 + 2) / 2 / 2 x 100 = 50 now
    assert (result.before, result.after, result.compared) == (75.0, 50.0, 2)
    assert result.outcome == Outcome.IMPROVED
    worse = follow_up({"SYS-REG-01": 0}, barrier_profile(INSTRUMENT, only(SYS_REG_01="no")))
    assert worse.outcome == Outcome.WORSENED
    assert follow_up({"SYS-REG-03": 2}, now).outcome == Outcome.NOT_KNOWN
    assert follow_up({"SYS-REG-02": 2}, now).outcome == Outcome.UNCHANGED


answer_maps = st.dictionaries(
    st.sampled_from(CHOICE_IDS),
    st.builds(A, st.sampled_from(["yes", "partly", "no", "dont_know", "not_applicable", ""]),
              st.one_of(st.none(), st.integers(0, 2)), st.just("because")),
    max_size=len(CHOICE_IDS))
figure_maps = st.dictionaries(
    st.sampled_from(CHOICE_IDS),
    st.builds(lambda i, s: figure("x", i, s), st.floats(0, 100), st.floats(0, 1)),
    max_size=20)


def shuffled(instrument, seed):
    """``instrument`` with the questions of every domain in another order."""
    rng = random.Random(seed)  # noqa: S311 - a shuffle, not a secret
    copy = instrument.model_copy(deep=True)
    for level in copy.levels:
        for domain in level.domains:
            rng.shuffle(domain.questions)
    return copy


def summary(plan):
    return [(r.rank, r.key, r.weight, sorted(b.question_id for b in r.barriers),
             [f.entry_id for f in r.facilitators]) for r in plan.recommendations]


@settings(max_examples=40, deadline=None)
@given(answer_maps, figure_maps, st.integers(0, 10**6))
def test_the_ranking_does_not_depend_on_question_order(answers, figures, seed):
    before = action_plan(INSTRUMENT, barrier_profile(INSTRUMENT, answers), figures)
    other = shuffled(INSTRUMENT, seed)
    after = action_plan(other, barrier_profile(other, answers), figures)
    assert summary(before) == summary(after)


@settings(max_examples=40, deadline=None)
@given(answer_maps, figure_maps)
def test_weights_stay_in_bounds_and_ranks_follow_weights(answers, figures):
    plan = action_plan(INSTRUMENT, barrier_profile(INSTRUMENT, answers), figures)
    weights = [r.weight for r in plan.recommendations]
    rounded = [round(w, 9) for w in weights]  # ties to 9 decimals go in instrument order
    assert rounded == sorted(rounded, reverse=True)
    assert [r.rank for r in plan.recommendations] == list(range(1, len(weights) + 1))
    for r in plan.recommendations:
        assert all(0 < b.weight <= 1 and b.agreement_factor >= 0.5 for b in r.barriers)
        assert r.weight == pytest.approx(sum(b.weight for b in r.barriers))
    # a question is a barrier, a gap, or neither, never two of them
    barriers = {b.question_id for r in plan.recommendations for b in r.barriers}
    assert not barriers & set(plan.gaps)
    assert plan.barriers == len(barriers)


@settings(max_examples=40, deadline=None)
@given(answer_maps, st.sampled_from(CHOICE_IDS))
def test_a_dont_know_never_adds_a_barrier(answers, extra):
    if extra in answers:
        return
    with_gap = dict(answers, **{extra: A("dont_know")})
    plain = action_plan(INSTRUMENT, barrier_profile(INSTRUMENT, answers))
    gapped = action_plan(INSTRUMENT, barrier_profile(INSTRUMENT, with_gap))
    assert summary(plain) == summary(gapped)


def test_a_lead_not_applicable_is_not_overruled_by_stakeholders():
    profile = barrier_profile(INSTRUMENT, only())  # everything not applicable
    plan = action_plan(INSTRUMENT, profile, {"SYS-REG-01": figure("SYS-REG-01", 80.0, 0.9)})
    assert plan.recommendations == [] and plan.gaps == []
    # unanswered, the stakeholders' figure does count
    answers = only()
    del answers["SYS-REG-01"]
    plan = action_plan(INSTRUMENT, barrier_profile(INSTRUMENT, answers),
                       {"SYS-REG-01": figure("SYS-REG-01", 80.0, 0.9)})
    (rec,) = plan.recommendations
    assert rec.barriers[0].basis == Basis.STAKEHOLDERS


def test_weights_equal_but_for_float_noise_tie_in_the_instruments_order(monkeypatch):
    # Two areas whose sums differ only in the last bit of a float (0.1 + 0.2 against 0.3)
    # rank in the instrument's order of areas, not by rounding noise.
    from acsreview.core import actions

    weights = {"SYS-REG-01": 0.1, "SYS-REG-02": 0.2, "SYS-REG-03": 0.3}
    real = actions.barrier_of

    def fixed(question, score, figure):
        b = real(question, score, figure)
        return None if b is None else actions.replace(b, weight=weights[question.id])

    monkeypatch.setattr(actions, "barrier_of", fixed)
    plan = action_plan(INSTRUMENT, barrier_profile(INSTRUMENT, only(
        SYS_REG_01="no", SYS_REG_02="no", SYS_REG_03="no")))
    # SYS-REG-01: address_barriers; -02: address_barriers, coordination;
    # -03: best_practice, awareness. address_barriers = 0.1 + 0.2, best_practice = 0.3.
    by_key = {r.key: r for r in plan.recommendations}
    assert by_key["system:address_barriers"].weight > by_key["system:best_practice"].weight
    keys = [r.key for r in plan.recommendations]
    assert keys.index("system:address_barriers") < keys.index("system:best_practice")
    assert keys.index("system:awareness") < keys.index("system:best_practice")
