"""The consultation's results beside the lead's own answers, and the lead's decisions.

Every figure comes from :func:`..services.results.review_results`, which suppresses
small groups; this module only lays the figures out. Open-text answers are never
shown (they may identify the people who wrote them): only how many there are.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acsreview.core.consultation import ANSWERS, MERGED
from acsreview.core.instrument import AnswerType
from acsreview.core.scoring import effective_severity, severity

from ...reviews.access import MANAGE, READ, can_manage
from ...reviews.models.diagnostic import AnswerChoice
from ...reviews.services.audit import record, snapshot
from ...reviews.views.common import instrument_for, review_view
from ..models import Adoption, Consultation, Decision
from ..services.results import review_results

ADOPTION_FIELDS = ["decision", "justification"]


def _chosen(review, public_id: str | None) -> Consultation | None:
    """The consultation named in the query string (the review's own only), else None."""
    if not public_id:
        return None
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None
    consultation = review.consultations.filter(public_id=key).first()
    if consultation is None:
        raise Http404
    return consultation


def _percent(count: int, n: int) -> int | None:
    return round(count / n * 100) if n else None


def _unit_row(view, labels: dict, merged_label: str) -> dict:
    """One publication unit (a group, or the merged pool) as a table row."""
    if view.group == MERGED:
        members = sorted(view.members, key=lambda g: (list(labels).index(g) if g in labels
                                                      else len(labels), g))
        label = merged_label % {"groups": ", ".join(labels.get(g, g) for g in members)}
    else:
        label = labels.get(view.group, view.group)
    return {
        "label": label, "merged": view.group == MERGED, "n": view.n,
        "cells": [(view.distribution[a], _percent(view.distribution[a], view.n))
                  for a in ANSWERS],
        "index": view.severity_index, "agreement": view.agreement, "scored": view.scored,
    }


def _lead(answer, question) -> dict | None:
    if answer is None:
        return None
    if question.answer_type == AnswerType.TEXT:
        return {"text": answer.text}
    polarity = question.polarity.value if question.polarity else None
    effective = effective_severity(answer.answer, polarity, answer.severity_override)
    return {
        "label": dict(AnswerChoice.choices).get(answer.answer, ""),
        "severity": effective,
        "computed": severity(answer.answer, polarity),
        "overridden": answer.severity_override is not None,
        "index": effective * 50 if effective is not None else None,  # on the 0-100 scale
    }


def _page(request, review, role, *, consultation=None, errors=None, posted=None,
          status=200, decided=None):
    instrument = instrument_for(request, review)
    consultations = list(review.consultations.order_by("-created_at", "-pk"))
    results = review_results(review, consultation, instrument=instrument)
    group_labels = {g.id: g.label for g in instrument.stakeholder_groups}
    merged_label = _("Other groups (merged): %(groups)s")
    decide = can_manage(role) and not review.is_final
    answers = {a.item_id: a for a in review.answers.all()}
    adoptions = {a.item_id: a for a in review.adoptions.select_related("by")}
    errors, posted = errors or {}, posted or {}
    levels, summary = [], []
    for level in instrument.levels:
        domains = []
        for domain in level.domains:
            div = results.domains.get(domain.id) if results else None
            summary.append({"domain": domain, "level": level,
                            "divergence": div.divergence if div else None,
                            "questions": div.questions if div else 0,
                            "disagree": bool(results and results.disagree(
                                div.divergence if div else None))})
            cards = [_question(q, results, answers.get(q.id), adoptions.get(q.id),
                               group_labels, merged_label, decide=decide,
                               error=errors.get(q.id), posted=posted.get(q.id, {}))
                     for q in domain.questions]
            domains.append(_domain(level, domain, cards, summary[-1], decided))
        levels.append({"level": level, "domains": domains})
    responses = None
    if results and results.responses:
        responses = {
            "rows": [_unit_row(v, group_labels, merged_label) for v in results.responses.groups],
            "withheld": [group_labels.get(g, g) for g in results.responses.withheld],
            "total": results.responses.overall.n if results.responses.overall else 0,
        }
    return render(request, "consultations/results.html", {
        "review": review, "role": role, "results": results,
        "consultation": results.consultation if results else None,
        "consultations": consultations, "threshold": results.threshold if results else None,
        "levels": levels, "summary": summary, "responses": responses,
        "answer_labels": _answer_labels(instrument),
        "decisions": Decision.choices, "can_decide": decide,
    }, status=status)


def _domain(level, domain, cards, summary, decided) -> dict:
    """A domain's section of the page: its questions, folded unless they need the lead's
    eye (CJS and health disagree, a refused decision) or hold the one just ``decided``."""
    disagree = sum(bool(c.get("disagree")) for c in cards)
    suppressed = sum(bool(c["withheld"]) or any(r["merged"] for r in c["rows"])
                     for c in cards)
    opened = (summary["disagree"] or disagree
              or any(c["error"] or c["q"].id == decided for c in cards))
    return {"level": level, "domain": domain, "questions": cards, "summary": summary,
            "disagree": disagree, "suppressed": suppressed, "open": bool(opened)}


def _answer_labels(instrument) -> list[str]:
    """The headings of the six answer columns, in the order of the distributions."""
    labels = {o.id.value: o.label for o in instrument.answer_options}
    labels.setdefault("prefer_not_to_say", _("Prefer not to say"))
    return [labels.get(a, a) for a in ANSWERS]


def _question(q, results, answer, adoption, labels, merged_label, *, decide, error, posted):
    open_text = q.answer_type == AnswerType.TEXT
    agg = results.question(q.id) if results else None
    card = {"q": q, "open_text": open_text, "lead": _lead(answer, q), "agg": agg,
            "adoption": adoption, "error": error, "posted": posted,
            "rows": [], "withheld": [], "overall": None}
    if agg is not None:
        card["rows"] = [_unit_row(v, labels, merged_label) for v in agg.groups]
        card["withheld"] = [labels.get(g, g) for g in agg.withheld]
        card["overall"] = _unit_row(agg.overall, labels, merged_label) if agg.overall else None
        card["cjs"], card["health"] = agg.cjs, agg.health
        card["divergence"] = agg.divergence
        card["disagree"] = results.disagree(agg.divergence)
    card["can_decide"] = decide and not open_text and card["overall"] is not None
    return card


@review_view(READ)
def results(request, review, role):
    consultation = _chosen(review, request.GET.get("consultation"))
    return _page(request, review, role, consultation=consultation,
                 decided=request.GET.get("decided"))


@require_POST
@review_view(MANAGE)
def adopt(request, review, role, item_id):
    """The lead's decision on one question: adopt the stakeholders' view or keep their own."""
    if review.is_final:
        raise PermissionDenied
    instrument = instrument_for(request, review)
    question = next((q for level in instrument.levels for d in level.domains
                     for q in d.questions if q.id == item_id), None)
    if question is None or question.answer_type != AnswerType.CHOICE:
        raise Http404
    consultation = _chosen(review, request.POST.get("consultation"))
    decision = request.POST.get("decision", "")
    justification = request.POST.get("justification", "").strip()[:20000]
    error = None
    if decision not in Decision.values:
        error = _("Choose whether to adopt the stakeholders' view or keep your answer.")
    elif not justification:
        error = _("A justification is required.")
    else:
        results = review_results(review, consultation, instrument=instrument)
        agg = results.question(item_id) if results else None
        if agg is None or agg.overall is None:
            error = _("There is no stakeholders' view of this question to decide on.")
    if error:
        return _page(request, review, role, consultation=consultation,
                     errors={item_id: error},
                     posted={item_id: {"decision": decision, "justification": justification}},
                     status=422)
    with transaction.atomic():
        existing = (Adoption.objects.select_for_update()
                    .filter(review=review, item_id=item_id).first())
        before = snapshot(existing, ADOPTION_FIELDS) if existing else None
        adoption = existing or Adoption(review=review, item_id=item_id)
        adoption.decision, adoption.justification, adoption.by = (
            decision, justification, request.user)
        adoption.save()
        record(request.user, review, "adoption", item_id,
               "update" if existing else "create", before,
               snapshot(adoption, ADOPTION_FIELDS))
    messages.success(request, _("Decision recorded."))
    # Back to the question, its domain unfolded: not every browser unfolds it for "#".
    query = {"decided": item_id}
    if consultation is not None:
        query["consultation"] = consultation.public_id
    url = reverse("consultations:results", args=[review.slug])
    return redirect(f"{url}?{urlencode(query)}#{item_id}")
