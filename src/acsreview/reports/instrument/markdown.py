"""The instrument as Markdown: a readable questionnaire with its lists and sources."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from acsreview.core.instrument import AnswerType, Instrument, Library
from acsreview.core.instrument.select import effective_groups, for_group


def build_markdown(library: Library, inst: Instrument, *, group: str | None = None,
                   lang: str | None = None) -> str:
    lang = lang or "en"
    doc = library.localized(inst, lang)
    if group:
        doc = for_group(doc, group)
    with translation.override(lang):
        return "\n".join(_lines(doc, group)) + "\n"


def _lines(doc: Instrument, group: str | None):
    # Translated up front: xgettext cannot see _() inside f-strings.
    h = {
        "answer": _("Answer"),
        "areas": _("Areas for action"),
        "asked_of": _("Asked of"),
        "catalogue": _("Barriers and facilitators"),
        "principles": _("Best-practice principles"),
        "client_factors": _("Client-level factors: stigma and competing problems"),
        "definitions": _("Definitions of ACS"),
        "correspondents": _("Questions to Legal & Policy Correspondents"),
        "sources": _("Sources"),
        "stages": _("Stages of the criminal justice system"),
        "measure_types": _("Types of measure"),
        "open_text": _("open text"),
        "lead_note": _("For the review team:"),
    }
    groups = {g.id: g.label for g in doc.stakeholder_groups}
    areas = {a.id: a.label for a in doc.areas_for_action}
    answers = " / ".join(o.label for o in doc.answer_options if o.id != "prefer_not_to_say")
    yield f"# {doc.title}"
    yield ""
    yield _("Version %(version)s.") % {"version": doc.version} + (
        " " + _("Questions for: %(group)s.") % {"group": groups[group]} if group else "")
    if doc.description:
        yield ""
        yield doc.description
    if doc.definitions:
        yield ""
        yield f"## {h['definitions']}"
        for d in doc.definitions:
            yield ""
            yield f"> {d.text} ({d.source})"
    for level in doc.levels:
        yield ""
        yield f"## {level.label}"
        for domain in level.domains:
            yield ""
            yield f"### {domain.label}"
            yield ""
            for q in domain.questions:
                yield f"- **{q.id}** {q.text}"
                if q.help:
                    yield f"  - *{q.help}*"
                if q.note and group is None:  # a group's questionnaire is for respondents
                    yield f"  - *{h['lead_note']} {q.note}*"
                if q.answer_type == AnswerType.CHOICE:
                    yield f"  - {h['answer']}: {answers}"
                else:
                    yield f"  - {h['answer']}: {h['open_text']}"
                if not group:
                    who = ", ".join(groups[g] for g in effective_groups(q, domain))
                    yield f"  - {h['asked_of']}: {who}"
                    yield f"  - {h['areas']}: " + ", ".join(areas[a] for a in q.areas)
    if doc.client_factors:
        yield ""
        yield f"## {h['client_factors']}"
        yield ""
        for f in doc.client_factors:
            yield f"- **{f.id}** {f.label} ({', '.join(f.questions)})"
    if doc.correspondent_questions and not group:
        yield ""
        yield f"## {h['correspondents']}"
        for i, cq in enumerate(doc.correspondent_questions, 1):
            yield ""
            yield f"{i}. {cq.text}"
            for fld in cq.fields:
                yield f"   - {fld.label}"
    if not group:
        yield ""
        yield f"## {h['areas']}"
        yield ""
        for a in doc.areas_for_action:
            yield f"- {a.label}"
        if doc.catalogue:
            yield ""
            yield f"## {h['catalogue']}"
            yield ""
            for c in doc.catalogue:
                yield f"- **{c.id}** ({c.kind}) {c.text} ({c.source})"
        if doc.principles:
            yield ""
            yield f"## {h['principles']}"
            yield ""
            for p in doc.principles:
                yield f"- **{p.id}** {p.text} ({p.source}, {p.locator})"
        yield ""
        yield f"## {h['stages']}"
        yield ""
        for s in doc.cjs_stages:
            yield f"- {s.label}"
        yield ""
        yield f"## {h['measure_types']}"
        yield ""
        for m in doc.measure_types:
            yield f"- {m.label} ({m.source})"
    yield ""
    yield f"## {h['sources']}"
    yield ""
    for s in doc.sources:
        yield f"- **{s.id}** {s.citation}" + (f" <{s.url}>" if s.url else "")


def to_markdown(library: Library, inst: Instrument, out: Path, *, group: str | None = None,
                lang: str | None = None) -> None:
    Path(out).write_text(build_markdown(library, inst, group=group, lang=lang), encoding="utf-8")
