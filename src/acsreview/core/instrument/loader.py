"""Reading instrument, variant and translation files into checked models."""

from __future__ import annotations

from pathlib import Path

import pycountry
from pydantic import ValidationError

from .checks import Refs, check_instrument, check_question, iter_questions
from .problems import InstrumentInvalid, ProblemList
from .schema import (
    INSTRUMENT_SCHEMA,
    TRANSLATION_SCHEMA,
    VARIANT_SCHEMA,
    Instrument,
    InstrumentRef,
    Translation,
    Variant,
)
from .strings import missing_strings, unknown_keys
from .yamlio import LocatedData, YamlProblem, read_yaml

SCHEMAS = {INSTRUMENT_SCHEMA: Instrument, VARIANT_SCHEMA: Variant, TRANSLATION_SCHEMA: Translation}
Document = Instrument | Variant | Translation


def read_document(path: Path) -> Document:
    """Read and check one file on its own (cross-file checks are the library's)."""
    doc, problems = read_document_collecting(path)
    problems.raise_if_any()
    assert doc is not None
    return doc


def read_document_collecting(path: Path) -> tuple[Document | None, ProblemList]:
    problems = ProblemList(str(path))
    try:
        located = read_yaml(path)
    except YamlProblem as exc:
        problems.add_at_line(exc.line, exc.message)
        return None, problems
    problems.located = located
    doc = _parse(located, problems)
    return doc, problems


def _parse(located: LocatedData, problems: ProblemList) -> Document | None:
    data = located.data
    if not isinstance(data, dict):
        problems.add((), "the file must be a mapping of keys to values")
        return None
    schema = data.get("schema")
    model = SCHEMAS.get(schema) if isinstance(schema, str) else None
    if model is None:
        known = ", ".join(SCHEMAS)
        if schema is None:
            problems.add((), f"missing required key 'schema' (one of: {known})")
        else:
            problems.add(("schema",), f"unknown schema '{schema}' (one of: {known})")
        return None
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        problems.add_validation_error(exc)
        return None
    _check_languages(doc, problems)
    if isinstance(doc, Instrument):
        check_instrument(doc, problems)
    return doc


def _check_languages(doc: Document, problems: ProblemList) -> None:
    codes = [doc.language] if isinstance(doc, Translation) else list(doc.languages)
    field = "language" if isinstance(doc, Translation) else "languages"
    for i, code in enumerate(codes):
        if pycountry.languages.get(alpha_2=code) is None and pycountry.languages.get(
            alpha_3=code
        ) is None:
            loc = (field,) if isinstance(doc, Translation) else (field, i)
            problems.add(loc, f"'{code}' is not an ISO 639 language code")


def resolve_variant(variant: Variant, base: Instrument, problems: ProblemList) -> Instrument:
    """The base instrument with the variant's questions added and hidden, by id."""
    base_ids = {q.id for q in iter_questions(base)}
    domains = {d.id: d for level in base.levels for d in level.domains}
    refs = Refs.of(base, extra_sources=[s.id for s in variant.sources])
    prefix = f"{variant.jurisdiction}-"
    added: dict[str, list] = {}
    seen_added: set[str] = set()
    for i, item in enumerate(variant.add_questions):
        loc = ("add_questions", i)
        q = item.question
        if item.domain not in domains:
            problems.add((*loc, "domain"), f"unknown domain '{item.domain}'")
            continue
        if not q.id.startswith(prefix):
            problems.add(
                (*loc, "question", "id"),
                f"an added question's id must start with the jurisdiction, '{prefix}'",
            )
        if q.id in base_ids or q.id in seen_added:
            problems.add((*loc, "question", "id"), f"duplicate id '{q.id}'")
        seen_added.add(q.id)
        domain_ids = [x.id for x in domains[item.domain].questions]
        if item.after is not None and item.after not in domain_ids:
            problems.add((*loc, "after"), f"'{item.after}' is not a question of {item.domain}")
        check_question(q, refs, (*loc, "question"), problems)
        added.setdefault(item.domain, []).append(item)
    for i, qid in enumerate(variant.hide_questions):
        if qid not in base_ids:
            problems.add(("hide_questions", i), f"unknown question '{qid}'")
    if problems.items:
        return base

    hidden = set(variant.hide_questions)
    levels = []
    for level in base.levels:
        new_domains = []
        for domain in level.domains:
            questions = [q for q in domain.questions if q.id not in hidden]
            for item in added.get(domain.id, []):
                custom = item.question.model_copy(update={"custom": True})
                ids = [q.id for q in questions]
                pos = ids.index(item.after) + 1 if item.after in ids else len(questions)
                questions.insert(pos, custom)
            new_domains.append(domain.model_copy(update={"questions": questions}))
        levels.append(level.model_copy(update={"domains": new_domains}))
    factors = [
        f.model_copy(update={"questions": [q for q in f.questions if q not in hidden]})
        for f in base.client_factors
    ]
    return base.model_copy(
        update={
            "id": variant.id,
            "version": variant.version,
            "title": variant.title,
            "languages": variant.languages,
            "sources": [*base.sources, *variant.sources],
            "levels": levels,
            "client_factors": [f for f in factors if f.questions],
            "base": InstrumentRef(id=base.id, version=base.version),
            "jurisdiction": variant.jurisdiction,
            "hidden_questions": list(variant.hide_questions),
        }
    )


def check_translation(
    inst: Instrument, tr: Translation, in_force: dict[str, str], problems: ProblemList
) -> None:
    """Unknown keys are errors; missing keys are errors only in a complete translation.

    ``in_force`` is what the language will show: ``tr`` over what a variant's base
    translation already gives.
    """
    for key in unknown_keys(inst, tr):
        problems.add(("strings", key), f"'{key}' is not a string of {inst.id} {inst.version}")
    if tr.status == "complete" or tr.language in inst.languages:
        for key in missing_strings(inst, in_force):
            problems.add(("strings",), f"missing translation for '{key}'")


def require(doc: Document | None, problems: ProblemList) -> Document:
    problems.raise_if_any()
    if doc is None:  # pragma: no cover - a None document always comes with a problem
        raise InstrumentInvalid(problems.items)
    return doc
