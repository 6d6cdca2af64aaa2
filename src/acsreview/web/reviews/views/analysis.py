"""The analysis of a review: its barrier profile, the lead's and the stakeholders' views
side by side, per level, domain and question; and its trend across rounds.

Stakeholder figures come only from ``review_results`` (through ``services.analysis``),
where the suppression of small groups lives.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from acsreview.core.comparison import trend
from acsreview.core.coverage import coverage
from acsreview.core.instrument import AnswerType
from acsreview.core.profile import barrier_profile
from acsreview.core.stakeholders import side_by_side
from acsreview.web.consultations.services.results import DISAGREEMENT

from ..access import READ, visible_reviews
from ..services.actions import with_titles
from ..services.analysis import (
    Consulted,
    agreed_actions,
    disagree,
    facts_for,
    labels_of,
    note_text,
    severity_reason,
    signed,
    stakeholders_of,
)
from .common import instrument_for, review_view


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _pooled(rows) -> dict:
    """The stakeholders' view of several domains: the same rule as one domain's
    (mean over the questions with a published index; divergence over those with both)."""
    theirs = [q.stakeholders.index for q in rows
              if q.stakeholders and q.stakeholders.index is not None]
    both = [q.divergence for q in rows if q.divergence is not None]
    divergence = _mean(both)
    return {"index": _mean(theirs), "questions": len(theirs), "divergence": divergence,
            "compared": len(both), "disagree": disagree(divergence)}


def _analysis(request, review):
    instrument = instrument_for(request, review)
    answers = {a.item_id: a for a in review.answers.all()}
    profile = barrier_profile(instrument, answers)
    stakeholders = stakeholders_of(review, instrument)
    views = side_by_side(profile, stakeholders.figures)
    return instrument, answers, profile, stakeholders, views


def _coverage(review, instrument) -> dict:
    stages = [s.id for s in instrument.cjs_stages]
    measures = list(review.measures.values_list("name", "stage", "measure_type"))
    cover = coverage(measures, stages, [t.id for t in instrument.measure_types])
    labels = {s.id: s.label for s in instrument.cjs_stages}
    return {"stages": [{"label": labels[s], "count": cover.per_stage[s]} for s in stages],
            "empty": [labels[s] for s in cover.empty_stages],
            "measures": len(measures)}


@review_view(READ)
def analysis(request, review, role):
    instrument, _answers, profile, stakeholders, views = _analysis(request, review)
    indices = {i.id: i for i in profile.domains}
    theirs = {d.domain_id: d for d in views.domains}
    level_of = {s.question_id: s.level_id for s in profile.questions}
    flagged: dict[str, int] = {}  # questions far apart, which a domain's mean may hide
    for q in views.questions:
        if disagree(q.divergence):
            flagged[q.domain_id] = flagged.get(q.domain_id, 0) + 1
    levels = []
    for level, level_index in zip(instrument.levels, profile.levels, strict=True):
        levels.append({
            "level": level, "index": level_index,
            "stakeholders": _pooled([q for q in views.questions
                                     if level_of[q.question_id] == level.id]),
            "domains": [{"domain": d, "index": indices[d.id], "views": theirs[d.id],
                         "disagree": disagree(theirs[d.id].divergence),
                         "flagged": flagged.get(d.id, 0)}
                        for d in level.domains],
        })
    return render(request, "reviews/analysis.html", {
        "review": review, "role": role, "instrument": instrument, "levels": levels,
        "overall": profile.overall, "overall_stakeholders": _pooled(views.questions),
        "stakeholders": stakeholders, "consulted": Consulted,
        "disagreements": [d for lv in levels for d in lv["domains"] if d["disagree"]],
        "coverage": _coverage(review, instrument), "flag_points": DISAGREEMENT,
    })


@review_view(READ)
def analysis_domain(request, review, role, domain_id):
    instrument, answers, profile, stakeholders, views = _analysis(request, review)
    domains = [(lv, d) for lv in instrument.levels for d in lv.domains]
    found = next((i for i, (_lv, d) in enumerate(domains) if d.id == domain_id), None)
    if found is None:
        raise Http404
    level, domain = domains[found]
    domain_views = next(d for d in views.domains if d.domain_id == domain.id)
    scores = {s.question_id: s for s in profile.questions}
    side = {q.question_id: q for q in views.questions}
    answer_labels = {o.id.value: o.label for o in instrument.answer_options}
    rows = []
    for q in domain.questions:
        if q.answer_type != AnswerType.CHOICE:
            continue
        score, answer = scores[q.id], answers.get(q.id)
        overridden = answer is not None and answer.severity_override is not None
        figure = side[q.id].stakeholders
        rows.append({
            "q": q, "score": score, "answer": answer_labels.get(score.answer, ""),
            "reason": severity_reason(score, q.polarity, answer_labels),
            "overridden": overridden, "views": side[q.id],
            "disagree": disagree(side[q.id].divergence),
            "share": round(figure.barrier_share * 100)
            if figure and figure.barrier_share is not None else None,
        })
    return render(request, "reviews/analysis_domain.html", {
        "review": review, "role": role, "level": level, "domain": domain, "rows": rows,
        "index": next(i for i in profile.domains if i.id == domain.id),
        "views": domain_views, "disagree": disagree(domain_views.divergence),
        "open_items": sum(1 for q in domain.questions if q.answer_type != AnswerType.CHOICE),
        "stakeholders": stakeholders, "consulted": Consulted, "flag_points": DISAGREEMENT,
        "previous": domains[found - 1][1] if found else None,
        "next": domains[found + 1][1] if found + 1 < len(domains) else None,
    })


# --- trends -------------------------------------------------------------------------------

def _changed(values) -> bool:
    return len({v for v in values if v is not None}) > 1


def _direction(change: float | None) -> str:
    """In words, since a lower index means fewer barriers."""
    if change is None:
        return ""
    if round(change) == 0:
        return _("about the same")
    return _("fewer barriers") if change < 0 else _("more barriers")


@review_view(READ)
def trends(request, review, role):
    """The jurisdiction's reviews the person may read, across rounds."""
    instrument = instrument_for(request, review)
    reviews = list(visible_reviews(request.user).filter(jurisdiction=review.jurisdiction)
                   .order_by("round"))
    context = {"review": review, "role": role, "reviews": reviews}
    if len(reviews) < 2:
        return render(request, "reviews/trends.html", context)
    facts = facts_for(reviews)
    actions = agreed_actions(reviews)
    for items in actions.values():
        with_titles(instrument, items)
    result = trend(facts, actions)
    labels = labels_of([instrument])
    by_slug = {r.slug: r for r in reviews}
    steps = [{"from": by_slug[s.from_slug], "to": by_slug[s.to_slug], "actions": s.actions}
             for s in result.steps]
    context.update({
        "rounds": [by_slug[slug] for _round, slug in result.rounds],
        "domains": [{"label": labels["domain"].get(s.domain_id, s.domain_id),
                     "id": s.domain_id, "values": s.values, "change": s.change,
                     "signed": signed(s.change), "direction": _direction(s.change)}
                    for s in result.domains],
        "questions": [{"id": s.id, "text": labels["question"].get(s.id, s.id),
                       "domain": labels["domain"].get(s.domain_id, s.domain_id),
                       "values": s.values, "signed": signed(s.change),
                       "direction": _direction(s.change)}
                      for s in result.questions if _changed(s.values)],
        "steps": steps,
        "notes": [note_text(n, labels["domain"]) for n in result.notes],
        "compared": len(result.questions),
    })
    return render(request, "reviews/trends.html", context)
