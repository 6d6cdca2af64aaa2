"""The action plan: ranked, explained recommendations, the lead's decisions, the follow-up.

Every figure of the page comes from :mod:`..services.actions` (the core plan fed with
the review's answers and the published stakeholder figures); this module lays them
out. A decision is a plain form post, so the page works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from acsreview.core.actions import Basis, Outcome

from ..access import READ, can_edit, can_manage
from ..forms import ActionForm
from ..models import Decision
from ..models.diagnostic import AnswerChoice, Confidence
from ..services.actions import (
    ActionConflict,
    ActionInvalid,
    ActionLocked,
    UnknownRecommendation,
    decide,
    default_title,
    earlier_actions,
    previous_round,
    review_plan,
    update_progress,
    with_titles,
)
from .common import instrument_for, review_view

EVIDENCE_AREA = "evidence"


def _prefix(key: str) -> str:
    """A form prefix (and HTML id) for a recommendation key such as "client:resourcing"."""
    return key.replace(":", "-")


def _plan_url(review, key: str | None = None) -> str:
    url = reverse("reviews:plan", args=[review.slug])
    return f"{url}#rec-{_prefix(key)}" if key else url


def _percent(share: float | None) -> int | None:
    return round(share * 100) if share is not None else None


class _Context:
    """What every card of the page looks up: questions, answers, labels, texts."""

    def __init__(self, review, instrument, answers, profile):
        self.review = review
        self.instrument = instrument
        self.answers = answers
        self.scores = {s.question_id: s for s in profile.questions}
        self.questions = {}
        for level in instrument.levels:
            for domain in level.domains:
                for q in domain.questions:
                    self.questions[q.id] = (q, domain)
        self.areas = {a.id: a.label for a in instrument.areas_for_action}
        self.levels = {lv.id: lv.label for lv in instrument.levels}
        self.catalogue = {e.id: e for e in instrument.catalogue}
        self.principles = {p.id: p for p in instrument.principles}
        self.answer_labels = dict(AnswerChoice.choices)
        self.confidence_labels = dict(Confidence.choices)

    def question(self, qid: str) -> dict:
        q, domain = self.questions.get(qid, (None, None))
        answer = self.answers.get(qid)
        return {
            "id": qid, "text": q.text if q else "", "domain": domain.label if domain else "",
            "url": (reverse("reviews:domain", args=[self.review.slug, domain.id]) + f"#{qid}"
                    if domain else ""),
            "carried_over": bool(answer and answer.carried_over),
        }


def _barrier(ctx: _Context, b) -> dict:
    answer = ctx.answers.get(b.question_id)
    score = ctx.scores.get(b.question_id)
    return {
        **ctx.question(b.question_id),
        "b": b,
        "by_lead": b.basis == Basis.LEAD,
        "answer": ctx.answer_labels.get(answer.answer, "") if answer else "",
        "computed": score.computed if score else None,
        "justification": score.justification if score else "",
        "share": _percent(b.barrier_share),
        "evidence": answer.evidence if answer else "",
        "sources": list(answer.sources) if answer else [],
        "confidence": ctx.confidence_labels.get(answer.confidence, "") if answer else "",
    }


def _decision_form(ctx: _Context, key: str, action, level_id: str, area_id: str):
    initial = {"version": action.version if action else 0,
               "title": default_title(ctx.instrument, level_id, area_id)}
    if action:
        initial.update(decision=action.decision, justification=action.justification,
                       owner=action.owner, due_date=action.due_date, status=action.status)
        if action.decision == Decision.EDITED:
            initial.update(title=action.title, description=action.description)
    return ActionForm(initial=initial, prefix=_prefix(key))


def _progress_form(key: str, action):
    return ActionForm(initial={"version": action.version, "owner": action.owner,
                               "due_date": action.due_date, "status": action.status},
                      prefix="p-" + _prefix(key), progress_only=True)


def _forms(ctx, key, action, level_id, area_id, rights, bound, conflict) -> dict:
    """The decision form (for the lead) and, for an agreed action, the progress form (for
    anyone who may edit the review), bound if posted."""
    decide_ok, progress_ok = rights
    if not (decide_ok or progress_ok):
        return {}
    form = _decision_form(ctx, key, action, level_id, area_id) if decide_ok else None
    progress = (_progress_form(key, action)
                if progress_ok and action and action.agreed else None)
    posted = bound.get(key)
    if posted is not None:
        if posted.progress_only:
            progress = posted
        else:
            form = posted
    return {"form": form, "progress": progress,
            "decision_open": posted is not None and not posted.progress_only,
            "conflict": conflict == key,
            "url": reverse("reviews:decide", args=[ctx.review.slug, key])}


def _recommendation(ctx, rec, action, rights, bound, conflict) -> dict:
    facilitators = [{"text": ctx.catalogue[f.entry_id].text, "id": f.entry_id,
                     "questions": f.questions, "weight": f.weight}
                    for f in rec.facilitators if f.entry_id in ctx.catalogue]
    return {
        "rec": rec, "key": rec.key, "anchor": "rec-" + _prefix(rec.key),
        "area": ctx.areas.get(rec.area_id, rec.area_id),
        "level": ctx.levels.get(rec.level_id, rec.level_id),
        "barriers": [_barrier(ctx, b) for b in rec.barriers],
        "facilitators": facilitators,
        "principles": [ctx.principles[p] for p in rec.principles if p in ctx.principles],
        "action": action,
        **_forms(ctx, rec.key, action, rec.level_id, rec.area_id, rights, bound, conflict),
    }


def _orphan(ctx, action, rights, bound, conflict) -> dict:
    """A decided action whose recommendation is no longer in the plan."""
    return {
        "key": action.key, "anchor": "rec-" + _prefix(action.key), "action": action,
        "area": ctx.areas.get(action.area_id, action.area_id),
        "level": ctx.levels.get(action.level_id, action.level_id),
        "barriers": [ctx.question(q) for q in sorted(action.barriers)],
        **_forms(ctx, action.key, action, action.level_id, action.area_id, rights, bound,
                 conflict),
    }


OUTCOME_WORDS = {
    Outcome.IMPROVED: "improved", Outcome.UNCHANGED: "unchanged",
    Outcome.WORSENED: "worsened", Outcome.NOT_KNOWN: "not_known",
}


def _earlier(ctx, item) -> dict:
    fu = item.follow_up
    return {
        "action": item.action, "follow_up": fu, "outcome": OUTCOME_WORDS[fu.outcome],
        "area": ctx.areas.get(item.action.area_id, item.action.area_id),
        "level": ctx.levels.get(item.action.level_id, item.action.level_id),
        "barriers": [{**ctx.question(c.question_id), "before": c.before, "after": c.after,
                      "change": c.change,
                      "gap": bool(ctx.scores.get(c.question_id)
                                  and ctx.scores[c.question_id].gap)}
                     for c in fu.barriers],
    }


def _page(request, review, role, *, bound=None, conflict=None, status=200):
    instrument = instrument_for(request, review)
    answers = {a.item_id: a for a in review.answers.all()}
    rp = review_plan(review, instrument, answers=answers)
    with_titles(instrument, rp.actions.values())
    rights = (can_decide(role, review), can_edit(role, review))
    editable = any(rights)
    ctx = _Context(review, instrument, answers, rp.profile)
    bound = bound or {}
    in_plan = {r.key for r in rp.plan.recommendations}
    cards = [_recommendation(ctx, r, rp.actions.get(r.key), rights, bound, conflict)
             for r in rp.plan.recommendations]
    orphans = [_orphan(ctx, a, rights, bound, conflict)
               for a in sorted(rp.actions.values(), key=lambda a: (a.rank, a.key))
               if a.key not in in_plan]
    previous = previous_round(review)
    found = earlier_actions(review, instrument, rp.profile)
    with_titles(instrument, [e.action for e in found])
    earlier = [_earlier(ctx, e) for e in found]
    results = rp.results
    return render(request, "reviews/plan.html", {
        "review": review, "role": role, "editable": editable, "can_decide": rights[0],
        "plan": rp.plan,
        "cards": cards, "orphans": orphans,
        "gaps": [ctx.question(q) for q in rp.plan.gaps],
        "evidence_area": ctx.areas.get(EVIDENCE_AREA, EVIDENCE_AREA),
        "consultation": results.consultation if results else None,
        "consultation_label": (results.consultation.title
                               or f"{results.consultation.created_at:%Y-%m-%d}")
        if results else "",
        "figures": len(rp.figures),
        "decided": sum(1 for a in rp.actions.values() if a.key in in_plan),
        "previous": previous, "earlier": earlier,
    }, status=status)


def can_decide(role, review) -> bool:
    """Accepting, editing or rejecting a recommendation is the lead's (and coordinator's)."""
    return can_manage(role) and not review.is_final


@review_view(READ)
def plan(request, review, role):
    return _page(request, review, role)


def _known_key(instrument, key: str) -> bool:
    level, _sep, area = key.partition(":")
    return (level in {lv.id for lv in instrument.levels}
            and area in {a.id for a in instrument.areas_for_action})


def _save(request, review, key: str, form: ActionForm, instrument):
    d = form.cleaned_data
    if form.progress_only:
        return update_progress(review, key, request.user, owner=d.get("owner") or "",
                               due_date=d.get("due_date"), status=d["status"],
                               expected_version=d["version"])
    return decide(review, key, request.user, decision=d["decision"],
                  title=d.get("title") or "", description=d.get("description") or "",
                  justification=d.get("justification") or "", owner=d.get("owner") or "",
                  due_date=d.get("due_date"), status=d["status"],
                  expected_version=d["version"], instrument=instrument)


@require_http_methods(["GET", "POST"])
@review_view(READ)
def decide_view(request, review, role, key):
    """Save a decision (the lead's) or the progress of an agreed action (anyone who may
    edit the review) on one recommendation.

    A refused save answers with the plan page at this address, so reloading it, or coming
    back to it from the browser's history, asks for it again: that leads to the
    recommendation on the plan.
    """
    instrument = instrument_for(request, review)
    if not _known_key(instrument, key):
        raise Http404
    if request.method == "GET":
        return redirect(_plan_url(review, key))
    progress_only = request.POST.get("form") == "progress"
    if not (can_edit(role, review) if progress_only else can_decide(role, review)):
        raise PermissionDenied
    prefix = ("p-" if progress_only else "") + _prefix(key)
    form = ActionForm(request.POST, prefix=prefix, progress_only=progress_only)
    if form.is_valid():
        try:
            _save(request, review, key, form, instrument)
        except ActionLocked:
            raise PermissionDenied from None
        except UnknownRecommendation:
            raise Http404 from None
        except ActionConflict as exc:
            # Their decision shows on the page; mine stays in the form, now naming their
            # version, so that saving again replaces theirs knowingly.
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(exc.current.version if exc.current else 0)
            form = ActionForm(data, prefix=prefix, progress_only=progress_only)
            messages.error(request, _("Not saved: someone else decided this recommendation "
                                      "meanwhile. Their decision is shown; your choices are "
                                      "still in the form."))
            return _page(request, review, role, bound={key: form}, conflict=key, status=409)
        except ActionInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(_plan_url(review, key))
    problems = "; ".join(
        f"{form.fields[name].label if name in form.fields else _('Decision')}: {' '.join(errs)}"
        for name, errs in form.errors.items())
    level, _sep, area = key.partition(":")
    messages.error(request, _("Not saved, “%(recommendation)s”: %(problems)s") % {
        "recommendation": default_title(instrument, level, area), "problems": problems})
    return _page(request, review, role, bound={key: form}, status=422)
