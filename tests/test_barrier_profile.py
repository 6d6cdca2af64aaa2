"""The barrier profile: severities, indices per domain and level, evidence gaps."""

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsreview.core.instrument import AnswerType, iter_questions, shipped_library
from acsreview.core.instrument.schema import Polarity
from acsreview.core.profile import barrier_profile

INSTRUMENT = shipped_library().get("acs-diagnostic", "1.0")
CHOICE_IDS = [q.id for q in iter_questions(INSTRUMENT) if q.answer_type == AnswerType.CHOICE]


@dataclass
class A:
    answer: str
    severity_override: int | None = None
    override_justification: str = ""


def by_id(profile, kind, ident):
    return next(i for i in getattr(profile, kind) if i.id == ident)


def test_a_hand_computed_domain():
    # SYS-REG: 01-05 are facilitator questions, 06 open text
    answers = {"SYS-REG-01": A("yes"), "SYS-REG-02": A("no"), "SYS-REG-03": A("partly"),
               "SYS-REG-04": A("dont_know"), "SYS-REG-06": A("", None)}
    reg = by_id(barrier_profile(INSTRUMENT, answers), "domains", "SYS-REG")
    # severities 0, 2, 1 -> mean 1 -> 50; gaps: 04 (don't know) and 05 (unanswered)
    assert (reg.index, reg.scored, reg.choice_questions, reg.gaps) == (50.0, 3, 5, 2)
    assert reg.gap_index == pytest.approx(40.0)


def test_barrier_questions_score_the_other_way_and_overrides_win():
    answers = {"SYS-SOC-03": A("yes"),  # barrier: yes -> 2
               "SYS-SOC-01": A("yes", 2, "support is only rhetorical")}
    profile = barrier_profile(INSTRUMENT, answers)
    scores = {s.question_id: s for s in profile.questions}
    assert scores["SYS-SOC-03"].severity == 2
    assert (scores["SYS-SOC-01"].computed, scores["SYS-SOC-01"].severity) == (0, 2)
    assert scores["SYS-SOC-01"].justification == "support is only rhetorical"
    assert by_id(profile, "domains", "SYS-SOC").index == 100.0


def test_levels_and_overall_cover_their_questions():
    answers = {qid: A("no") for qid in CHOICE_IDS}
    profile = barrier_profile(INSTRUMENT, answers)
    for level in profile.levels:
        assert level.scored == level.choice_questions and level.gaps == 0
    assert profile.overall.scored == 62
    assert profile.overall.index == pytest.approx(
        sum(s.severity for s in profile.questions) / 62 / 2 * 100)


def test_nothing_answered_means_no_index_and_all_gaps():
    profile = barrier_profile(INSTRUMENT, {})
    assert profile.overall.index is None and profile.overall.gap_index == 100.0


answer_maps = st.dictionaries(st.sampled_from(CHOICE_IDS),
                              st.sampled_from(["yes", "partly", "no", "dont_know",
                                               "not_applicable"]))


@given(answer_maps)
def test_indices_stay_between_0_and_100(raw):
    profile = barrier_profile(INSTRUMENT, {k: A(v) for k, v in raw.items()})
    for i in [*profile.domains, *profile.levels, profile.overall]:
        assert i.index is None or 0 <= i.index <= 100
        assert i.gap_index is None or 0 <= i.gap_index <= 100


@given(answer_maps, st.sampled_from(CHOICE_IDS))
def test_a_dont_know_never_changes_an_index(raw, extra):
    if extra in raw:
        return
    before = barrier_profile(INSTRUMENT, {k: A(v) for k, v in raw.items()})
    after = barrier_profile(INSTRUMENT, {**{k: A(v) for k, v in raw.items()},
                                         extra: A("dont_know")})
    for b, a in zip([*before.domains, *before.levels, before.overall],
                    [*after.domains, *after.levels, after.overall], strict=True):
        assert b.index == a.index


@pytest.mark.django_db
def test_the_overview_shows_each_domains_index_and_gaps(cast, as_user):
    from django.urls import reverse

    from acsreview.web.reviews.models import Answer

    Answer.objects.create(review=cast.xa_review, item_id="SYS-REG-01", answer="no", version=1)
    Answer.objects.create(review=cast.xa_review, item_id="SYS-REG-02", answer="yes", version=1)
    html = as_user(cast.xa_lead).get(reverse("reviews:detail", args=[cast.xa_review.slug]))
    html = html.content.decode()
    assert "<strong>50</strong> <small class=\"muted\">(2 scored)</small>" in html
    assert "3 of 5" in html  # SYS-REG: 03, 04, 05 unanswered


@given(answer_maps, st.sampled_from(CHOICE_IDS))
def test_reversing_a_questions_polarity_mirrors_its_severity(raw, flipped):
    answers = {k: A(v) for k, v in raw.items()}
    reversed_instrument = INSTRUMENT.model_copy(deep=True)
    for level in reversed_instrument.levels:
        for domain in level.domains:
            for i, q in enumerate(domain.questions):
                if q.id == flipped:
                    domain.questions[i] = q.model_copy(update={"polarity": (
                        Polarity.BARRIER if q.polarity == Polarity.FACILITATOR
                        else Polarity.FACILITATOR)})
    before = {s.question_id: s for s in barrier_profile(INSTRUMENT, answers).questions}
    after = {s.question_id: s for s in barrier_profile(reversed_instrument, answers).questions}
    for qid, score in before.items():
        if qid != flipped or score.computed is None:
            assert after[qid].computed == score.computed
        else:
            assert after[qid].computed == 2 - score.computed
