"""The translatable strings of an instrument, keyed by stable keys built from ids.

English lives in the instrument file itself; every other language is a
translation file mapping these keys to text. A key such as
``questions.SYS-REG-01.text`` never changes when the English wording does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .schema import Instrument, Translation

# (collection in the instrument, key prefix, translatable fields of each item)
_FLAT = [
    ("answer_options", "answers", ("label",)),
    ("stakeholder_groups", "groups", ("label", "description")),
    ("areas_for_action", "areas", ("label",)),
    ("definitions", "definitions", ("text",)),
    ("catalogue_categories", "catalogue_categories", ("label",)),
    ("catalogue", "catalogue", ("text",)),
    ("client_factors", "client_factors", ("label",)),
    ("principles", "principles", ("text",)),
    ("cjs_stages", "cjs_stages", ("label",)),
    ("measure_types", "measure_types", ("label",)),
]

Slot = tuple[str, dict[str, Any], str]


def _slots(doc: dict[str, Any]) -> Iterator[Slot]:
    """Every translatable place of a dumped instrument: (key, the dict holding it, field)."""
    for field in ("title", "description"):
        if doc.get(field):
            yield field, doc, field
    for collection, prefix, fields in _FLAT:
        for item in doc.get(collection) or []:
            for field in fields:
                if item.get(field):
                    yield f"{prefix}.{item['id']}.{field}", item, field
    for level in doc.get("levels") or []:
        yield f"levels.{level['id']}.label", level, "label"
        for domain in level["domains"]:
            yield f"domains.{domain['id']}.label", domain, "label"
            for question in domain["questions"]:
                for field in ("text", "help", "note"):
                    if question.get(field):
                        yield f"questions.{question['id']}.{field}", question, field
    for cq in doc.get("correspondent_questions") or []:
        yield f"correspondent_questions.{cq['id']}.text", cq, "text"
        for fld in cq["fields"]:
            yield f"correspondent_questions.{cq['id']}.fields.{fld['id']}.label", fld, "label"


def _dump(inst: Instrument) -> dict[str, Any]:
    return inst.model_dump(mode="json", by_alias=True)


def translatable_strings(inst: Instrument) -> dict[str, str]:
    """Every translatable string of ``inst`` in English, by key, in document order."""
    return {key: holder[field] for key, holder, field in _slots(_dump(inst))}


def missing_strings(inst: Instrument, strings: dict[str, str]) -> list[str]:
    """The keys of ``inst`` that ``strings`` does not translate, in document order."""
    return [key for key in translatable_strings(inst) if key not in strings]


def unknown_keys(inst: Instrument, translation: Translation) -> list[str]:
    """Keys in ``translation`` that name no string of ``inst`` (a typo, or a removed item)."""
    known = translatable_strings(inst)
    return [key for key in translation.strings if key not in known]


def localize(inst: Instrument, strings: dict[str, str]) -> Instrument:
    """``inst`` with each string that ``strings`` translates replaced; English elsewhere."""
    if not strings:
        return inst
    doc = _dump(inst)
    for key, holder, field in _slots(doc):
        if key in strings:
            holder[field] = strings[key]
    return Instrument.model_validate(doc)
