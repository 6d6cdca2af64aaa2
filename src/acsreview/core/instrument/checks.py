"""Cross-reference checks of an instrument: what pydantic's grammar cannot see.

Each check adds a problem with the location of the fault; none stops at the
first, so that an author sees everything to mend at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .problems import ProblemList
from .schema import Answer, AnswerType, CatalogueKind, FieldType, Instrument, Question
from .yamlio import Loc

REQUIRED_LANGUAGE = "en"
# The answer options every instrument labels: the scale is part of the method, not the data.
ANSWER_IDS = [a.value for a in Answer]


@dataclass(frozen=True)
class Refs:
    """The ids a question may refer to."""

    sources: frozenset[str]
    groups: frozenset[str]
    areas: frozenset[str]
    facilitators: frozenset[str]
    barriers: frozenset[str]
    principles: frozenset[str]
    questions: frozenset[str]

    @classmethod
    def of(cls, inst: Instrument, extra_sources: Iterable[str] = ()) -> Refs:
        return cls(
            sources=frozenset([*(s.id for s in inst.sources), *extra_sources]),
            groups=frozenset(g.id for g in inst.stakeholder_groups),
            areas=frozenset(a.id for a in inst.areas_for_action),
            facilitators=frozenset(
                c.id for c in inst.catalogue if c.kind != CatalogueKind.BARRIER
            ),
            barriers=frozenset(
                c.id for c in inst.catalogue if c.kind != CatalogueKind.FACILITATOR
            ),
            principles=frozenset(p.id for p in inst.principles),
            questions=frozenset(q.id for q in iter_questions(inst)),
        )


def check_instrument(inst: Instrument, out: ProblemList) -> None:
    refs = Refs.of(inst)
    if REQUIRED_LANGUAGE not in inst.languages:
        out.add(("languages",), "English (en) must be one of the languages: it is the reference")
    _check_unique_ids(inst, out)
    _check_answer_options(inst, out)

    for i, level in enumerate(inst.levels):
        for j, domain in enumerate(level.domains):
            dloc: Loc = ("levels", i, "domains", j)
            _check_refs(domain.groups, refs.groups, "stakeholder group", (*dloc, "groups"), out)
            for k, question in enumerate(domain.questions):
                check_question(question, refs, (*dloc, "questions", k), out)

    question_ids = refs.questions
    _check_counterparts(inst, out)
    categories = {c.id for c in inst.catalogue_categories}
    for i, category in enumerate(inst.catalogue_categories):
        loc: Loc = ("catalogue_categories", i, "source")
        _check_refs([category.source], refs.sources, "source", loc, out)
    for i, area in enumerate(inst.areas_for_action):
        _check_refs([area.source], refs.sources, "source", ("areas_for_action", i, "source"), out)
    for i, entry in enumerate(inst.catalogue):
        loc = ("catalogue", i)
        _check_refs([entry.source], refs.sources, "source", (*loc, "source"), out)
        if categories and entry.category not in categories:
            out.add((*loc, "category"), f"unknown catalogue category '{entry.category}'")
        _check_refs(entry.areas, refs.areas, "area for action", (*loc, "areas"), out)
    for i, factor in enumerate(inst.client_factors):
        loc = ("client_factors", i)
        _check_refs([factor.source], refs.sources, "source", (*loc, "source"), out)
        _check_refs(factor.questions, question_ids, "question", (*loc, "questions"), out)
    for name in ("definitions", "principles", "cjs_stages", "measure_types"):
        for i, item in enumerate(getattr(inst, name)):
            _check_refs([item.source], refs.sources, "source", (name, i, "source"), out)
    for i, cq in enumerate(inst.correspondent_questions):
        loc = ("correspondent_questions", i)
        _check_refs([cq.source], refs.sources, "source", (*loc, "source"), out)
        for j, fld in enumerate(cq.fields):
            if fld.type == FieldType.CHOICE and not fld.choices:
                out.add((*loc, "fields", j), "a choice field needs its choices")
            if fld.type != FieldType.CHOICE and fld.choices:
                out.add((*loc, "fields", j, "choices"), f"a {fld.type} field takes no choices")
        _check_unique([f.id for f in cq.fields], (*loc, "fields"), out)


def check_question(question: Question, refs: Refs, loc: Loc, out: ProblemList) -> None:
    """Check one question's own references and consistency."""
    if question.answer_type == AnswerType.CHOICE and question.polarity is None:
        out.add(loc, "a choice question needs a polarity (facilitator or barrier)")
    if question.answer_type == AnswerType.TEXT and question.polarity is not None:
        out.add((*loc, "polarity"), "an open-text question is not scored and takes no polarity")
    if question.groups is not None:
        _check_refs(question.groups, refs.groups, "stakeholder group", (*loc, "groups"), out)
        if not question.groups:
            out.add((*loc, "groups"), "a question needs at least one stakeholder group")
    _check_refs(question.areas, refs.areas, "area for action", (*loc, "areas"), out)
    _check_refs(question.facilitators, refs.facilitators, "facilitator",
                (*loc, "facilitators"), out)
    _check_refs(question.barriers, refs.barriers, "barrier", (*loc, "barriers"), out)
    _check_refs(question.principles, refs.principles, "principle", (*loc, "principles"), out)
    if question.counterpart is not None:
        _check_refs([question.counterpart], refs.questions, "question", (*loc, "counterpart"), out)
    _check_refs([question.source], refs.sources, "source", (*loc, "source"), out)


def _check_counterparts(inst: Instrument, out: ProblemList) -> None:
    """A counterpart is mutual: if A names B, B names A."""
    counterpart = {q.id: q.counterpart for q in iter_questions(inst)}
    for i, level in enumerate(inst.levels):
        for j, domain in enumerate(level.domains):
            for k, q in enumerate(domain.questions):
                other = q.counterpart
                if other is None or other not in counterpart:
                    continue
                if other == q.id or counterpart[other] != q.id:
                    loc: Loc = ("levels", i, "domains", j, "questions", k, "counterpart")
                    out.add(loc, f"'{other}' must name '{q.id}' as its counterpart in return")


def iter_questions(inst: Instrument) -> Iterable[Question]:
    for level in inst.levels:
        for domain in level.domains:
            yield from domain.questions


def _check_answer_options(inst: Instrument, out: ProblemList) -> None:
    given = [a.id.value for a in inst.answer_options]
    missing = [a for a in ANSWER_IDS if a not in given]
    if missing:
        out.add(("answer_options",), f"labels missing for the answers: {', '.join(missing)}")
    _check_unique(given, ("answer_options",), out)


def _check_unique_ids(inst: Instrument, out: ProblemList) -> None:
    for name in (
        "sources",
        "definitions",
        "stakeholder_groups",
        "areas_for_action",
        "levels",
        "catalogue_categories",
        "catalogue",
        "client_factors",
        "principles",
        "correspondent_questions",
        "cjs_stages",
        "measure_types",
    ):
        _check_unique([item.id for item in getattr(inst, name)], (name,), out)
    # Domain and question ids are unique across the whole instrument, not just their parent.
    seen: set[str] = set()
    for i, level in enumerate(inst.levels):
        for j, domain in enumerate(level.domains):
            if domain.id in seen:
                out.add(("levels", i, "domains", j, "id"), f"duplicate id '{domain.id}'")
            seen.add(domain.id)
            for k, question in enumerate(domain.questions):
                if question.id in seen:
                    loc: Loc = ("levels", i, "domains", j, "questions", k, "id")
                    out.add(loc, f"duplicate id '{question.id}'")
                seen.add(question.id)


def _check_unique(ids: list[str], loc: Loc, out: ProblemList) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            out.add((*loc, i, "id"), f"duplicate id '{ident}'")
        seen.add(ident)


def _check_refs(ids: Iterable[str], known: Iterable[str], what: str, loc: Loc, out: ProblemList):
    known = set(known)
    for i, ident in enumerate(ids):
        if ident not in known:
            out.add((*loc, i) if loc[-1] != "source" else loc, f"unknown {what} '{ident}'")
