"""The comparative report: the jurisdictions of one round side by side, as a page and a PDF.

It rests on :func:`acsreview.core.comparison.compare` (indices over the questions every
compared review has, the peers that score well where a jurisdiction scores badly) and
:func:`acsreview.core.coverage.coverage` (measures per CJS stage), and says in words what
makes two figures less comparable (:func:`~acsreview.web.reviews.services.analysis.note_text`).

It must scale to every jurisdiction of a round: one query per table (jurisdictions,
answers, measures), each instrument version localized once, and one chart (a heatmap)
beside plain tables.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from acsreview.core.comparison import MARGIN, PEERS, WORST, Comparison, compare
from acsreview.core.coverage import coverage
from acsreview.core.instrument import Instrument
from acsreview.web.instruments import app_library, instrument_of
from acsreview.web.reviews.models import Measure, Review, Status
from acsreview.web.reviews.services.analysis import facts_for, labels_of, note_text

from .charts import comparison_chart, deferred, figure
from .pdf import html_to_pdf

TEMPLATE = "reports/comparative.html"
PDF_LAYOUT = "reports/pdf_base.html"
PAGE_LAYOUT = "reports/page_base.html"
#: How many domains the summary names as the highest and the lowest on average.
SUMMARY_DOMAINS = 3


def render_comparative(reviews: Iterable[Review], *, round: int, lang: str = "en",
                       pdf: bool = False, charts: bool = True) -> str:
    """The comparative report of ``reviews`` (one round, already permission-checked).

    A standalone HTML document: for WeasyPrint when ``pdf``, else for a file to open in
    a browser. Either way its chart is drawn as SVG (a saved file cannot run the app's
    scripts); ``charts=False`` draws none and keeps the table alone.
    """
    return render_report(reviews, round=round, lang=lang, pdf=pdf, charts=charts)


def comparative_pdf(reviews: Iterable[Review], *, round: int, lang: str = "en") -> bytes:
    """The comparative report as a tagged PDF with its title and language."""
    with deferred() as drawings:
        return html_to_pdf(render_comparative(reviews, round=round, lang=lang, pdf=True),
                           resources=drawings)


def render_report(reviews: Iterable[Review], *, round: int, lang: str = "en",
                  pdf: bool = False, charts: bool = True, request=None) -> str:
    """The report as a standalone document, or as a page of the app when ``request``
    is given and not ``pdf`` (the chart then drawn in the browser)."""
    lang = check_language(lang)
    in_app = request is not None and not pdf
    with translation.override(lang):
        context = comparative_context(reviews, round=round, lang=lang, charts=charts,
                                      svg=not in_app)
        context["layout"] = PAGE_LAYOUT if in_app else PDF_LAYOUT
        context["pdf"] = pdf
        return render_to_string(TEMPLATE, context, request=request)


def check_language(lang: str | None) -> str:
    lang = (lang or "en").split("-")[0]
    known = [code for code, _name in settings.LANGUAGES]
    if lang not in known:
        raise LookupError(f"no report language '{lang}' (one of: {', '.join(known)})")
    return lang


def _version_key(key: tuple[str, str]):
    return tuple(int(p) if p.isdigit() else 0 for p in key[1].replace("-", ".").split("."))


def _localized(inst: Instrument, lang: str) -> Instrument:
    library = app_library()
    return library.localized(inst, lang) if lang in library.languages(inst) else inst


def jurisdiction_label(review: Review) -> str:
    return f"{review.jurisdiction.name} ({review.jurisdiction.code})"


def comparative_context(reviews: Iterable[Review], *, round: int, lang: str,
                        charts: bool = True, svg: bool = True) -> dict:
    """Everything the template shows; call it with the reader's language active."""
    reviews = list(reviews)
    if not reviews:
        raise ValueError("no review to compare")
    prefetch_related_objects(reviews, "jurisdiction")
    other = [r.slug for r in reviews if r.round != round]
    if other:
        raise ValueError(f"not of round {round}: {', '.join(other)}")
    reviews.sort(key=lambda r: (r.jurisdiction.code, r.slug))

    # Each instrument version once: the newest maps questions to facilitators.
    base: dict[tuple[str, str], Instrument] = {}
    for r in reviews:
        key = (r.instrument_id, r.instrument_version)
        if key not in base:
            base[key] = instrument_of(r)
    newest = max(base, key=_version_key)
    local = {key: _localized(inst, lang) for key, inst in base.items()}
    labels = labels_of([local[newest]] + [i for k, i in local.items() if k != newest])
    result = compare(facts_for(reviews), base[newest])

    by_slug = {r.slug: r for r in reviews}
    domains = [{"id": d, "label": labels["domain"].get(d, d)} for d in result.domains]
    rows = [{"review": by_slug[row.slug], "label": jurisdiction_label(by_slug[row.slug]),
             "cells": [row.cells[d] for d in result.domains]} for row in result.rows]
    fig = None
    if charts:
        chart = comparison_chart(
            [(row["label"], d["label"], cell.index)
             for row in rows for d, cell in zip(domains, row["cells"], strict=True)],
            [d["label"] for d in domains], [row["label"] for row in rows])
        fig = figure(chart, pdf=svg)
    cover = _coverage(reviews, base, local[newest])
    weak = _weak(result, by_slug, labels)
    title = _("Comparative report: round %(round)s") % {"round": round}
    return {
        "lang": lang, "title": title, "round": round,
        "subtitle": _("Alternatives to coercive sanctions: %(n)d jurisdictions compared")
        % {"n": len(reviews)},
        "date": date_format(datetime.date.today(), "DATE_FORMAT"),
        "demo": any(r.jurisdiction.is_demo for r in reviews),
        "reviews": reviews, "not_final": sum(r.status != Status.FINAL for r in reviews),
        "instruments": [local[k] for k in sorted(local, key=_version_key)],
        "common": result.common, "domains": domains, "rows": rows, "figure": fig,
        "summary": _summary(domains, rows),
        "weak": weak, "cited": _cited(weak, labels["question"]),
        "notes": [note_text(n, labels["domain"]) for n in result.notes],
        "coverage": cover,
        "margin": MARGIN, "worst": WORST, "peers": PEERS,
        "sources": _sources(local[newest], [i for k, i in local.items() if k != newest]),
    }


def _summary(domains: Sequence[dict], rows: Sequence[dict]) -> dict:
    """The domains with the highest and the lowest index on average over the jurisdictions."""
    means = []
    for i, d in enumerate(domains):
        known = [row["cells"][i].index for row in rows if row["cells"][i].index is not None]
        if known:
            means.append({"label": d["label"], "mean": sum(known) / len(known),
                          "scored": len(known)})
    ranked = sorted(means, key=lambda m: -m["mean"])
    highest = ranked[:SUMMARY_DOMAINS]
    lowest = list(reversed(ranked[max(SUMMARY_DOMAINS, len(ranked) - SUMMARY_DOMAINS):]))
    return {"highest": highest, "lowest": lowest, "jurisdictions": len(rows)}


def _weak(result: Comparison, by_slug: dict[str, Review], labels: dict) -> list[dict]:
    """Per review, its worst domains with the peers that score well there: the questions
    where they report no barrier (and which peers), and the facilitators those map to."""
    out = []
    for row in result.rows:
        entries = []
        for w in result.weak.get(row.slug, []):
            strengths: dict[str, list[Review]] = {}
            facilitators: list[str] = []
            for p in w.peers:
                for q in p.strengths:
                    strengths.setdefault(q, []).append(by_slug[p.slug])
                facilitators.extend(e for e in p.facilitators if e not in facilitators)
            entries.append({
                "domain": labels["domain"].get(w.domain_id, w.domain_id), "index": w.index,
                "peers": [{"review": by_slug[p.slug], "index": p.index} for p in w.peers],
                "strengths": [{"id": q, "peers": peers} for q, peers in strengths.items()],
                "facilitators": [labels["catalogue"].get(e, e) for e in facilitators],
            })
        out.append({"review": by_slug[row.slug], "domains": entries})
    return out


def _cited(weak: Sequence[dict], questions: dict[str, str]) -> list[tuple[str, str]]:
    """The questions the peers section names, once each, in the instrument's order: their
    text is given once, in an annex, to keep the report short when many are compared."""
    ids = {s["id"] for w in weak for d in w["domains"] for s in d["strengths"]}
    return [(q, text) for q, text in questions.items() if q in ids]


def _coverage(reviews: Sequence[Review], base: dict, shown: Instrument) -> dict:
    """Measures per CJS stage for each review, from one query over all their inventories."""
    measures: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for review_id, name, stage, kind in Measure.objects.filter(review__in=reviews).values_list(
            "review_id", "name", "stage", "measure_type"):
        measures[review_id].append((name, stage, kind))
    stages = [s.id for s in shown.cjs_stages]
    stage_labels = {s.id: s.label for s in shown.cjs_stages}
    rows = []
    none_at = dict.fromkeys(stages, 0)
    for r in reviews:
        types = [t.id for t in base[(r.instrument_id, r.instrument_version)].measure_types]
        cover = coverage(measures[r.pk], stages, types)
        recorded = bool(measures[r.pk])
        if recorded:
            for s in cover.empty_stages:
                none_at[s] += 1
        rows.append({"review": r, "counts": [cover.per_stage[s] for s in stages],
                     "total": len(measures[r.pk]), "recorded": recorded,
                     "empty": [stage_labels[s] for s in cover.empty_stages]})
    return {
        "stages": [stage_labels[s] for s in stages], "rows": rows,
        "recorded": sum(row["recorded"] for row in rows),
        "missing": sum(not row["recorded"] for row in rows),
        "gaps": [{"label": stage_labels[s], "none": n} for s, n in none_at.items() if n],
    }


def _sources(first: Instrument, others: Sequence[Instrument]) -> list:
    seen, out = set(), []
    for inst in [first, *others]:
        for s in inst.sources:
            if s.id not in seen:
                seen.add(s.id)
                out.append(s)
    return out
