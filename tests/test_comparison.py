"""Comparison across jurisdictions and trends across rounds (core), by hand."""

from dataclasses import dataclass, replace

import pytest

from acsreview.core.comparison import NoteKind, ReviewFacts, compare, trend
from acsreview.core.consultation import aggregate
from acsreview.core.instrument import AnswerType, iter_questions, shipped_library
from acsreview.core.profile import QuestionScore, barrier_profile
from acsreview.core.stakeholders import side_by_side, stakeholder_figures

INSTRUMENT = shipped_library().get("acs-diagnostic", "1.0")
CHOICE_IDS = [q.id for q in iter_questions(INSTRUMENT) if q.answer_type == AnswerType.CHOICE]
REG = ["SYS-REG-01", "SYS-REG-02", "SYS-REG-03", "SYS-REG-04", "SYS-REG-05"]  # facilitators


@dataclass
class A:
    answer: str
    severity_override: int | None = None
    override_justification: str = ""


def profile(answer_for_reg, **more):
    answers = {q: A("not_applicable") for q in CHOICE_IDS}
    answers.update({q: A(answer_for_reg) for q in REG})
    answers.update({k.replace("_", "-"): A(v) for k, v in more.items()})
    return barrier_profile(INSTRUMENT, answers)


def facts(code, year, answer, version="acs-diagnostic 1.0", **more):
    return ReviewFacts(f"{code}-{year}", code, year, version, profile(answer, **more))


def test_jurisdictions_by_domains_with_peers_that_score_well():
    result = compare([facts("XC", 2026, "partly"), facts("XA", 2026, "no"),
                      facts("XB", 2026, "yes")], INSTRUMENT)
    assert [r.jurisdiction for r in result.rows] == ["XA", "XB", "XC"]
    reg = {r.jurisdiction: r.cells["SYS-REG"] for r in result.rows}
    assert {j: (c.index, c.scored, c.questions) for j, c in reg.items()} == {
        "XA": (100.0, 5, 5), "XB": (0.0, 5, 5), "XC": (50.0, 5, 5)}
    (weak,) = result.weak["XA-2026"]  # every other domain is not applicable
    assert (weak.domain_id, weak.index) == ("SYS-REG", 100.0)
    # both at least 20 points lower, lowest first
    assert [(p.jurisdiction, p.index) for p in weak.peers] == [("XB", 0.0), ("XC", 50.0)]
    xb = weak.peers[0]
    assert xb.strengths == tuple(REG)  # "yes" to every facilitator question: severity 0
    assert xb.facilitators[:3] == ("CAT-OF-07", "CAT-OF-01", "CAT-EU-05")  # SYS-REG-01's
    assert weak.peers[1].strengths == ()  # "partly": severity 1, not a strength
    assert [p.jurisdiction for p in result.weak["XC-2026"][0].peers] == ["XB"]  # 0 <= 30
    assert result.weak["XB-2026"] == []  # nothing above 0


def test_indices_rest_on_the_common_questions_and_the_notes_say_what_is_left_out():
    xa = facts("XA", 2026, "no")
    xc = facts("XC", 2026, "partly", version="acs-diagnostic 1.1")
    own = QuestionScore("XC-SYS-REG-90", "SYS-REG", "system", "no", 2, 2, "", False)
    xc = replace(xc, profile=replace(xc.profile, questions=[*xc.profile.questions, own]),
                 custom=frozenset({"XC-SYS-REG-90"}))
    result = compare([xa, xc], INSTRUMENT)
    assert result.common == len(CHOICE_IDS)
    cells = {r.jurisdiction: r.cells["SYS-REG"].index for r in result.rows}
    assert cells == {"XA": 100.0, "XC": 50.0}  # XC's own severity-2 question is left out
    kinds = {(n.kind, n.slug) for n in result.notes}
    assert (NoteKind.VERSIONS, "") in kinds
    (excluded,) = [n for n in result.notes if n.kind == NoteKind.EXCLUDED]
    assert excluded.slug == "XC-2026"
    assert excluded.detail == {"questions": ["XC-SYS-REG-90"], "custom": ["XC-SYS-REG-90"]}
    # SYS-SOC is all "not applicable": 0 of 4 scored, fewer than half
    assert any(n.kind == NoteKind.MISSING and n.slug == "XA-2026" and n.domain_id == "SYS-SOC"
               and n.detail == {"scored": 0, "questions": 4} for n in result.notes)
    assert not any(n.kind == NoteKind.MISSING and n.domain_id == "SYS-REG"
                   for n in result.notes)


def test_a_trend_across_rounds_with_the_actions_between():
    rounds = [facts("XA", 2026, "partly", SYS_SOC_03="no"),
              facts("XA", 2022, "no", SYS_SOC_03="yes"),
              facts("XA", 2024, "no")]
    result = trend(rounds, actions={"XA-2022": ["an action"], "XA-2024": []})
    assert result.rounds == [(2022, "XA-2022"), (2024, "XA-2024"), (2026, "XA-2026")]
    reg = next(s for s in result.domains if s.id == "SYS-REG")
    assert (reg.values, reg.change) == ((100.0, 100.0, 50.0), -50.0)
    soc = next(s for s in result.domains if s.id == "SYS-SOC")
    # SYS-SOC-03 is a barrier question: yes -> 2, no -> 0; not applicable in 2024
    assert (soc.values, soc.change) == ((100.0, None, 0.0), -100.0)
    q = next(s for s in result.questions if s.id == "SYS-REG-01")
    assert (q.values, q.change) == ((2, 2, 1), -1)
    assert [(s.from_slug, s.to_slug, s.actions) for s in result.steps] == [
        ("XA-2022", "XA-2024", ("an action",)), ("XA-2024", "XA-2026", ())]


def test_a_trend_is_of_one_jurisdiction():
    with pytest.raises(ValueError, match="one jurisdiction"):
        trend([facts("XA", 2024, "no"), facts("XB", 2024, "no")])


def test_stakeholder_figures_and_the_lead_side_by_side():
    # SYS-SOC-03 is a barrier question: yes -> 2, partly -> 1, no -> 0
    answers = [("police", "SYS-SOC-03", a) for a in ("yes", "yes", "no", "partly", "dont_know")]
    results = aggregate(answers, polarity={"SYS-SOC-03": "barrier"},
                        sectors={"police": "cjs"}, threshold=5)
    figures = stakeholder_figures(results, {"SYS-SOC-03": "barrier"})
    fig = figures["SYS-SOC-03"]
    # severities 2, 2, 0, 1 -> mean 1.25 -> 62.5; 3 of 4 see a barrier
    assert (fig.n, fig.scored, fig.index, fig.barrier_share) == (5, 4, 62.5, 0.75)
    views = side_by_side(profile("yes", SYS_SOC_03="yes"), figures)
    q = next(v for v in views.questions if v.question_id == "SYS-SOC-03")
    assert (q.lead_severity, q.lead_index, q.divergence) == (2, 100.0, 37.5)
    soc = next(d for d in views.domains if d.domain_id == "SYS-SOC")
    assert (soc.lead_index, soc.stakeholder_index, soc.divergence, soc.compared) == (
        100.0, 62.5, 37.5, 1)


def test_a_group_under_the_threshold_gives_no_stakeholder_figure():
    answers = [("police", "SYS-SOC-03", "yes")] * 4
    results = aggregate(answers, polarity={"SYS-SOC-03": "barrier"},
                        sectors={"police": "cjs"}, threshold=5)
    assert stakeholder_figures(results, {"SYS-SOC-03": "barrier"}) == {}
