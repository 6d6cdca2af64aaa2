"""Aggregating stakeholder answers: agreement, severity index, divergence, suppression."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acsreview.core.consultation import MERGED, aggregate, consensus, domain_divergence

SECTORS = {"police": "cjs", "prosecutors": "cjs", "judges": "cjs", "prison": "cjs",
           "health": "health", "social": "other", "participants": "other"}


def test_consensus_matches_the_published_worked_example():
    # Tastle and Wierman (2007) as implemented in R's agrmt::consensus, whose manual gives
    # consensus(c(30,40,210,130,530,50,10)) = 0.7256876
    assert consensus([30, 40, 210, 130, 530, 50, 10]) == pytest.approx(0.7256876, abs=1e-7)


def test_consensus_is_one_for_uniformity_and_zero_for_an_even_split_of_extremes():
    assert consensus([0, 7, 0]) == 1.0
    assert consensus([5, 0, 5]) == pytest.approx(0.0)
    assert consensus([0, 0, 0]) is None


def answers(group, question, **counts):
    return [(group, question, a) for a, n in counts.items() for _ in range(n)]


def test_a_group_gets_n_distribution_severity_index_and_agreement():
    data = answers("police", "Q1", yes=2, partly=2, no=4, dont_know=1, prefer_not_to_say=1)
    [view] = aggregate(data, polarity={"Q1": "facilitator"}, sectors=SECTORS,
                       threshold=5)["Q1"].groups
    assert (view.group, view.n, view.scored) == ("police", 10, 8)
    assert view.distribution["dont_know"] == 1 and view.distribution["no"] == 4
    # severities: yes 0 x2, partly 1 x2, no 2 x4 -> mean 1.25 -> index 62.5
    assert view.severity_index == pytest.approx(62.5)
    assert view.agreement == pytest.approx(consensus([2, 2, 4]))


def test_barrier_polarity_reverses_the_index():
    data = answers("police", "Q1", yes=5)
    fac = aggregate(data, polarity={"Q1": "facilitator"}, sectors=SECTORS, threshold=5)
    bar = aggregate(data, polarity={"Q1": "barrier"}, sectors=SECTORS, threshold=5)
    assert fac["Q1"].groups[0].severity_index == 0 and bar["Q1"].groups[0].severity_index == 100


def test_small_groups_are_merged_when_the_pool_is_large_enough_else_withheld():
    data = (answers("police", "Q1", yes=6) + answers("judges", "Q1", no=3)
            + answers("prison", "Q1", no=2) + answers("social", "Q2", yes=6)
            + answers("participants", "Q2", no=4))
    result = aggregate(data, polarity={"Q1": "facilitator", "Q2": "facilitator"},
                       sectors=SECTORS, threshold=5)
    q1 = result["Q1"]
    shown = {v.group: v for v in q1.groups}
    assert set(shown) == {"police", MERGED}
    assert shown[MERGED].members == ("judges", "prison") and shown[MERGED].n == 5
    assert q1.withheld == [] and q1.overall.n == 11
    q2 = result["Q2"]
    assert [v.group for v in q2.groups] == ["social"]
    assert q2.withheld == ["participants"]
    assert q2.overall.n == 6  # the withheld group is not in the overall figure either


def test_divergence_compares_shown_cjs_groups_with_health():
    data = (answers("police", "Q1", no=6) + answers("judges", "Q1", no=5)
            + answers("health", "Q1", yes=5) + answers("prison", "Q1", yes=2))
    q = aggregate(data, polarity={"Q1": "facilitator"}, sectors=SECTORS, threshold=5)["Q1"]
    assert q.cjs.members == ("judges", "police")  # the small prison group stays out
    assert q.cjs.severity_index == 100 and q.health.severity_index == 0
    assert q.divergence == 100
    [dom] = domain_divergence({"Q1": q}, {"D1": ["Q1", "Q2"]})
    assert (dom.divergence, dom.questions) == (100, 1)


def test_no_divergence_without_a_shown_health_group():
    data = answers("police", "Q1", no=6) + answers("health", "Q1", yes=4)
    q = aggregate(data, polarity={"Q1": "facilitator"}, sectors=SECTORS, threshold=5)["Q1"]
    assert q.health is None and q.divergence is None


def test_the_threshold_is_never_below_three():
    with pytest.raises(ValueError):
        aggregate([], polarity={}, sectors=SECTORS, threshold=2)


GROUPS = list(SECTORS)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(GROUPS), st.sampled_from(["Q1", "Q2"]),
                          st.sampled_from(["yes", "partly", "no", "dont_know",
                                           "prefer_not_to_say"])), max_size=80),
       st.integers(min_value=3, max_value=8))
def test_no_published_figure_isolates_a_group_under_the_threshold(data, threshold):
    result = aggregate(data, polarity={"Q1": "facilitator", "Q2": "barrier"},
                       sectors=SECTORS, threshold=threshold)
    for q in result.values():
        published = [v for v in [*q.groups, q.overall, q.cjs, q.health] if v is not None]
        assert all(v.n >= threshold for v in published)
        # no difference of two published units is a non-empty set under the threshold
        individual = {v.group: v for v in q.groups if v.group != MERGED}
        for v in published:
            rest = set(v.members) - set(individual)
            if rest:
                pooled = sum(x.n for x in q.groups if x.group == MERGED)
                assert pooled >= threshold
        for v in published:
            assert v.severity_index is None or 0 <= v.severity_index <= 100
            assert v.agreement is None or 0 <= v.agreement <= 1
