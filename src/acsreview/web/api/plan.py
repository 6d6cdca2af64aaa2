"""The action plan: ranked recommendations with their barriers and facilitators, the
lead's decisions on them, and the follow-up of the previous round's actions.

The plan is :func:`acsreview.web.reviews.services.actions.review_plan`, as on the web
page; deciding goes through the same service (``decide``, ``update_progress``): the same
checks, the same versions, the same audit trail.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from acsreview.core.actions import Outcome
from acsreview.web.reviews.access import EDIT, MANAGE, READ
from acsreview.web.reviews.services.actions import (
    ActionConflict as Conflict,
)
from acsreview.web.reviews.services.actions import (
    ActionInvalid,
    ActionLocked,
    UnknownRecommendation,
    decide,
    earlier_actions,
    previous_round,
    review_plan,
    update_progress,
)
from acsreview.web.reviews.views.common import instrument_for

from .auth import review
from .consultation import consultation_ref
from .errors import REVIEW, WRITE, ApiError
from .schemas import ActionConflict, ActionOut, DecisionIn, PlanOut, ProgressIn, SlugPath, dump

router = Router(tags=["action plan"])

OUTCOMES = {Outcome.IMPROVED: "improved", Outcome.UNCHANGED: "unchanged",
            Outcome.WORSENED: "worsened", Outcome.NOT_KNOWN: "not_known"}


def action_row(a) -> dict:
    return {"key": a.key, "level_id": a.level_id, "area_id": a.area_id, "rank": a.rank,
            "weight": a.weight, "decision": a.decision, "agreed": a.agreed, "title": a.title,
            "description": a.description, "justification": a.justification,
            "owner": a.owner, "due_date": a.due_date, "status": a.status,
            "barriers": dict(a.barriers) if isinstance(a.barriers, dict) else {},
            "version": a.version, "updated_at": a.updated_at,
            "updated_by": a.updated_by.email if a.updated_by else None}


def _barrier(b) -> dict:
    return {"question_id": b.question_id, "domain_id": b.domain_id, "level_id": b.level_id,
            "basis": b.basis.value, "severity": b.severity, "overridden": b.overridden,
            "stakeholder_index": b.stakeholder_index, "barrier_share": b.barrier_share,
            "agreement": b.agreement, "stakeholders_n": b.stakeholders_n,
            "policy_lever": b.policy_lever, "severity_factor": b.severity_factor,
            "agreement_factor": b.agreement_factor, "lever_factor": b.lever_factor,
            "weight": b.weight}


@router.get("/reviews/{slug}/plan", response={200: PlanOut, **REVIEW}, auth=review(READ),
            summary="The ranked action plan and the decisions on it")
def plan(request, slug: SlugPath):
    """Recommendations ranked by weight (severity x stakeholder agreement x policy lever,
    summed over their barriers: docs/methodology.md, "Action plan"), each with its
    barriers, the facilitators the instrument maps to them, the principles they touch,
    and the decision taken on it (null: none yet)."""
    r = request.review
    instrument = instrument_for(request, r)
    rp = review_plan(r, instrument)
    areas = {a.id: a.label for a in instrument.areas_for_action}
    levels = {lv.id: lv.label for lv in instrument.levels}
    catalogue = {e.id: e.text for e in instrument.catalogue}
    in_plan = {rec.key for rec in rp.plan.recommendations}
    previous = previous_round(r)
    return {
        "recommendations": [{
            "key": rec.key, "level_id": rec.level_id, "area_id": rec.area_id,
            "level": levels.get(rec.level_id, rec.level_id),
            "area": areas.get(rec.area_id, rec.area_id), "rank": rec.rank,
            "weight": rec.weight, "barriers": [_barrier(b) for b in rec.barriers],
            "facilitators": [{"entry_id": f.entry_id, "text": catalogue.get(f.entry_id, ""),
                              "weight": f.weight, "questions": list(f.questions)}
                             for f in rec.facilitators],
            "principles": list(rec.principles),
            "decision": action_row(rp.actions[rec.key]) if rec.key in rp.actions else None,
        } for rec in rp.plan.recommendations],
        "other_decisions": [action_row(a) for a in sorted(
            rp.actions.values(), key=lambda a: (a.rank, a.key)) if a.key not in in_plan],
        "barriers": rp.plan.barriers,
        "gaps": list(rp.plan.gaps),
        "consultation": consultation_ref(rp.results.consultation) if rp.results else None,
        "previous_round": previous.slug if previous else None,
        "earlier": [{"action": action_row(e.action), "outcome": OUTCOMES[e.follow_up.outcome],
                     "barriers": [{"question_id": c.question_id, "before": c.before,
                                   "after": c.after, "change": c.change}
                                  for c in e.follow_up.barriers]}
                    for e in earlier_actions(r, instrument, rp.profile)],
    }


def _known_key(instrument, key: str) -> bool:
    level, _sep, area = key.partition(":")
    return (level in {lv.id for lv in instrument.levels}
            and area in {a.id for a in instrument.areas_for_action})


def _saving(request, key: str, save):
    """Run ``save``; the service's refusals as API errors."""
    instrument = instrument_for(request, request.review)
    if not _known_key(instrument, key):
        raise ApiError(404, _("No recommendation %(key)s in this review's plan.")
                       % {"key": key})
    try:
        return action_row(save(instrument))
    except UnknownRecommendation:
        raise ApiError(404, _("No recommendation %(key)s in this review's plan.")
                       % {"key": key}) from None
    except ActionInvalid as exc:
        raise ApiError(422, exc.message, fields={exc.field: exc.message}) from None
    except ActionLocked:
        raise ApiError(403, _("This review is final: it is read-only."),
                       code="review_final") from None
    except Conflict as exc:
        current = dump(ActionOut, action_row(exc.current)) if exc.current else None
        raise ApiError(409, _("Someone decided this recommendation meanwhile: their "
                              "decision is in 'current'."), current=current) from None


@router.post("/reviews/{slug}/plan/{key}",
             response={200: ActionOut, 409: ActionConflict, **WRITE},
             auth=review(MANAGE, write=True), summary="Decide on one recommendation")
def decide_recommendation(request, slug: SlugPath, key: str, payload: DecisionIn):
    """Accept, accept with edits (``title`` required) or reject (``justification``
    required, as for edits): the review lead's (or a coordinator's), as on the page.
    ``version`` is the decision's you last read, 0 when there was none; another is a
    conflict (409) and nothing is written."""
    d = payload
    return _saving(request, key, lambda instrument: decide(
        request.review, key, request.auth, decision=d.decision, title=d.title,
        description=d.description, justification=d.justification, owner=d.owner,
        due_date=d.due_date, status=d.status, expected_version=d.version,
        instrument=instrument))


@router.post("/reviews/{slug}/plan/{key}/progress",
             response={200: ActionOut, 409: ActionConflict, **WRITE},
             auth=review(EDIT, write=True), summary="Follow an agreed action")
def action_progress(request, slug: SlugPath, key: str, payload: ProgressIn):
    """Owner, due date and status of an agreed action; its decision stays. 404 when the
    recommendation has no decision yet; 422 (``status``) when it was rejected."""
    d = payload
    return _saving(request, key, lambda instrument: update_progress(
        request.review, key, request.auth, owner=d.owner, due_date=d.due_date,
        status=d.status, expected_version=d.version))
