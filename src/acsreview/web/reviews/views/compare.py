"""The coordinator's comparison of jurisdictions in one round.

Indices are recomputed over the questions every compared review has
(:func:`acsreview.core.comparison.compare`); what that leaves out is said in words.
Reviews of any status are compared, each with its status beside it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language

from acsreview.core.comparison import MARGIN, compare
from acsreview.web.instruments import instrument_of, localized_instrument_of

from ..models import Review
from ..services.analysis import facts_for, labels_of, note_text


def _version_key(review: Review):
    return tuple(int(p) if p.isdigit() else 0
                 for p in review.instrument_version.replace("-", ".").split("."))


def _chosen_round(request, rounds: list[int]) -> int | None:
    try:
        wanted = int(request.GET.get("round", ""))
    except ValueError:
        return rounds[0] if rounds else None
    return wanted


@login_required
def compare_page(request):
    if not request.user.is_coordinator:
        return render(request, "403.html", status=403)
    rounds = sorted(set(Review.objects.values_list("round", flat=True)), reverse=True)
    chosen = _chosen_round(request, rounds)
    context = {"rounds": rounds, "chosen": chosen, "margin": MARGIN}
    reviews = list(Review.objects.filter(round=chosen).select_related("jurisdiction")
                   .order_by("jurisdiction__code"))
    if not reviews:
        return render(request, "reviews/compare.html", context)
    # The newest instrument version among them maps questions to facilitators; the
    # labels come from every version involved, in the reader's language.
    newest = max(reviews, key=_version_key)
    lang = get_language()
    instruments = [localized_instrument_of(newest, lang)] + [
        localized_instrument_of(r, lang) for r in reviews if r is not newest]
    labels = labels_of(instruments)
    result = compare(facts_for(reviews), instrument_of(newest))
    by_slug = {r.slug: r for r in reviews}
    domains = [{"id": d, "label": labels["domain"].get(d, d)} for d in result.domains]
    rows = [{"review": by_slug[row.slug],
             "cells": [row.cells[d["id"]] for d in domains]} for row in result.rows]
    weak = []
    for row in result.rows:
        entries = []
        for w in result.weak.get(row.slug, []):
            entries.append({
                "domain": labels["domain"].get(w.domain_id, w.domain_id), "index": w.index,
                "peers": [{
                    "review": by_slug[p.slug], "index": p.index,
                    "strengths": [(q, labels["question"].get(q, q)) for q in p.strengths],
                    "facilitators": [labels["catalogue"].get(e, e) for e in p.facilitators],
                } for p in w.peers]})
        weak.append({"review": by_slug[row.slug], "domains": entries})
    context.update({
        "reviews": reviews, "domains": domains, "rows": rows, "common": result.common,
        "weak": weak, "notes": [note_text(n, labels["domain"]) for n in result.notes],
    })
    return render(request, "reviews/compare.html", context)
