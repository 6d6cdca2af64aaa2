"""The instrument as JSON: the resolved, localised instrument with what is not yet translated."""

from __future__ import annotations

import json
from pathlib import Path

import acsreview
from acsreview.core.instrument import Instrument, Library
from acsreview.core.instrument.select import for_group


def build_json(library: Library, inst: Instrument, *, group: str | None = None,
               lang: str | None = None) -> dict:
    lang = lang or "en"
    localized = library.localized(inst, lang)
    if group:
        localized = for_group(localized, group)
    return {
        "exported_by": f"acsreview {acsreview.__version__}",
        "language": lang,
        "stakeholder_group": group,
        "untranslated": library.missing(inst, lang),
        "instrument": localized.model_dump(mode="json", by_alias=True),
    }


def to_json(library: Library, inst: Instrument, out: Path, *, group: str | None = None,
            lang: str | None = None) -> None:
    doc = build_json(library, inst, group=group, lang=lang)
    Path(out).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
