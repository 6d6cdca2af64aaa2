"""The shipped instrument carries every question and list of the seed, faithfully."""

import re

import pytest

from acsreview.core.instrument import AnswerType, iter_questions

from .conftest import ROOT

SEED = (ROOT / "docs" / "source" / "seed.txt").read_text(encoding="utf-8")


def norm(text: str) -> str:
    """Fold the seed's slide layout: line breaks, hyphenation across lines, case."""
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


SEED_NORM = norm(SEED)


def in_seed(text: str) -> bool:
    # A question mark the seed's slide lacks (SYS-INT-01) may be added; nothing else.
    t = norm(text)
    return t in SEED_NORM or t.rstrip("?") in SEED_NORM


def test_the_repository_copy_of_the_seed_is_the_shared_one():
    shared = ROOT.parent / "shared" / "seeds" / "000_5d6559faeae2be54.txt"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert shared.read_text(encoding="utf-8") == SEED


def test_it_has_the_three_levels_and_twelve_domains_of_the_seed(instrument):
    assert [lvl.label for lvl in instrument.levels] == ["System level", "Provider level",
                                                        "Client level"]
    domains = {lvl.id: [d.label for d in lvl.domains] for lvl in instrument.levels}
    assert domains == {
        "system": ["National regulatory frameworks", "Societal influences",
                   "Organisation of ACS-related infrastructure", "Intelligence & monitoring"],
        "provider": ["CJS providers: Internal barriers", "CJS providers: External barriers",
                     "Health providers: Internal barriers",
                     "Health providers: External barriers"],
        "client": ["Experience and perception of the ACS process",
                   "The impact of stigma and other competing problems",
                   "Problems linked to ACS accessibility",
                   "Perceived (negative) consequences of engaging with ACS"],
    }
    for level in instrument.levels:
        for domain in level.domains:
            assert in_seed(domain.seed_heading), domain.id


def test_it_has_all_74_items_of_which_the_12_any_other_items_are_open_text(instrument):
    questions = list(iter_questions(instrument))
    assert len(questions) == 74
    open_items = [q for q in questions if q.answer_type == AnswerType.TEXT]
    assert len(open_items) == 12
    for q in open_items:
        assert re.match(r"^(Any other|Other) ", q.text), q.id
        assert q.polarity is None
    # one open item closes each domain, as in the seed
    for level in instrument.levels:
        for domain in level.domains:
            assert domain.questions[-1].answer_type == AnswerType.TEXT, domain.id


def test_every_question_is_worded_as_in_the_seed(instrument):
    for q in iter_questions(instrument):
        assert in_seed(q.text), f"{q.id}: {q.text!r} is not the seed's wording"


def test_question_ids_are_stable(instrument):
    """Ids are fixed at creation: this list may grow in a new version, never change."""
    shipped = (ROOT / "tests" / "data" / "question_ids_1.0.txt").read_text().split()
    assert [q.id for q in iter_questions(instrument)] == shipped


def test_every_scored_question_has_polarity_groups_areas_and_source(instrument):
    area_ids = {a.id for a in instrument.areas_for_action}
    for level in instrument.levels:
        for domain in level.domains:
            for q in domain.questions:
                assert q.areas and set(q.areas) <= area_ids, q.id
                assert q.source == "SEED"
                assert (q.groups or domain.groups), q.id
                if q.answer_type == AnswerType.CHOICE:
                    assert q.polarity in {"facilitator", "barrier"}, q.id


def test_barrier_worded_questions_have_barrier_polarity(instrument):
    by_id = {q.id: q for q in iter_questions(instrument)}
    barriers = {"SYS-SOC-03", "SYS-SOC-04", "PRV-CJI-04", "PRV-HLI-04", "PRV-HLI-05",
                "CLI-EXP-01", "CLI-EXP-03", "CLI-EXP-05", "CLI-STG-01", "CLI-STG-02",
                "CLI-STG-03", "CLI-STG-04", "CLI-STG-05", "CLI-ACC-01"}
    assert {i for i, q in by_id.items() if q.polarity == "barrier"} == barriers


def test_provider_questions_asked_of_both_sides_name_their_counterparts(instrument):
    by_id = {q.id: q for q in iter_questions(instrument)}
    for n in range(1, 9):
        cje, hle = f"PRV-CJE-0{n}", f"PRV-HLE-0{n}"
        assert by_id[cje].counterpart == hle and by_id[hle].counterpart == cje


def test_the_six_areas_for_action_are_the_seeds(instrument):
    labels = [a.label for a in instrument.areas_for_action]
    assert labels == [
        "Identify and address existing barriers to ACS use",
        "Improve awareness and understanding",
        "Increase resourcing and capacity for ACS",
        "Enhance co-ordination between systems and services",
        "Ensure adherence to best practice principles",
        "Develop, disseminate and use the evidence base",
    ]
    for area in instrument.areas_for_action:
        assert in_seed(area.label)


def test_the_client_level_stigma_and_competing_problem_factors_are_structured(instrument):
    factors = {f.category: [x.label for x in instrument.client_factors if x.category == f.category]
               for f in instrument.client_factors}
    assert factors["stigma"] == [
        "Fear/stigma/shame if referred to treatment/ACS",
        "Stigma/shame of being labelled a user or misuser of illicit drugs",
        "Stigma/shame of acquiring a conviction",
    ]
    assert factors["competing_problem"] == [
        "Other health problems (e.g. mental health)", "Housing need", "Finances",
        "Domestic violence",
    ]
    for f in instrument.client_factors:
        assert in_seed(f.label)
        assert all(q.startswith("CLI-STG-") for q in f.questions)


def test_the_catalogue_holds_the_seeds_barriers_and_facilitators_verbatim(instrument):
    by_category = {}
    for entry in instrument.catalogue:
        assert in_seed(entry.text.rstrip(".")), entry.id
        by_category.setdefault(entry.category, []).append(entry)
    others = by_category["other_jurisdictions"]
    assert sum(e.kind == "barrier" for e in others) == 5
    assert sum(e.kind == "facilitator" for e in others) == 8
    eu = [e for e in instrument.catalogue if e.id.startswith("CAT-EU-")]
    assert len(eu) == 11 and {e.source for e in eu} == {"RAND2016"}


def test_the_four_questions_to_legal_and_policy_correspondents_are_structured(instrument):
    cqs = instrument.correspondent_questions
    assert [cq.id for cq in cqs] == ["LPC-1", "LPC-2", "LPC-3", "LPC-4"]
    for cq in cqs:
        assert in_seed(cq.text)
    fields = {cq.id: [f.id for f in cq.fields] for cq in cqs}
    assert {"use_rates", "completion_rates", "records_kept"} <= set(fields["LPC-1"])
    assert "studies" in fields["LPC-2"]
    assert next(f for f in cqs[1].fields if f.id == "studies").type == "citations"
    assert {"actions", "effect", "should_be_done"} <= set(fields["LPC-4"])


def test_principles_are_cited_with_a_quote_from_a_source_that_was_read(instrument):
    sources = {s.id: s for s in instrument.sources}
    assert instrument.principles
    for p in instrument.principles:
        assert p.quote and p.locator, p.id
        # Bull (2005) and UNODC/WHO (2019) are recorded, but nothing is taken from them
        # until their text has been read.
        assert p.source not in {"BULL2005", "UNODC-WHO2019"}
        assert p.source in sources
    assert "Bull" in sources["BULL2005"].citation and "2005" in sources["BULL2005"].citation
    assert "UNODC-WHO2019" in sources


def test_definitions_quote_the_seed(instrument):
    for d in instrument.definitions:
        assert in_seed(d.text.strip('"')), d.id


def test_the_cjs_stages_run_from_arrest_to_post_sentence(instrument):
    assert [s.id for s in instrument.cjs_stages] == [
        "police_arrest", "prosecution", "court_pretrial", "sentencing", "post_sentence"]
    assert all(s.source for s in instrument.measure_types)


def test_the_stakeholder_groups_are_the_products_fixed_ids(instrument):
    assert [g.id for g in instrument.stakeholder_groups] == [
        "police", "prosecutors", "judges", "probation", "prison", "health", "social",
        "participants", "ngo"]
    assert {g.id for g in instrument.stakeholder_groups if g.sector == "cjs"} == {
        "police", "prosecutors", "judges", "probation", "prison"}
    assert {g.id for g in instrument.stakeholder_groups if g.sector == "health"} == {"health"}


def test_the_six_areas_for_action_are_set_against_the_three_levels(instrument):
    from acsreview.core.instrument.summary import area_level_matrix

    matrix = area_level_matrix(instrument)
    assert list(matrix) == [a.id for a in instrument.areas_for_action]
    for area, cells in matrix.items():
        assert list(cells) == ["system", "provider", "client"]
        assert sum(len(ids) for ids in cells.values()) > 0, area
    mapped = {qid for cells in matrix.values() for ids in cells.values() for qid in ids}
    assert mapped == {q.id for q in iter_questions(instrument)}
