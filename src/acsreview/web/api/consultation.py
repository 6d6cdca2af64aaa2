"""The stakeholder consultation's published figures: aggregates only, never a response.

Every figure comes from :func:`acsreview.web.consultations.services.results.
review_results`, where groups under the suppression threshold are merged or withheld;
nothing here reads a response, and open-text answers are only counted.
"""

from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Router

from acsreview.web.consultations.services.results import DISAGREEMENT, review_results
from acsreview.web.reviews.access import READ
from acsreview.web.reviews.views.common import instrument_for

from .auth import review
from .errors import REVIEW, ApiError
from .schemas import ConsultationOut, SlugPath

router = Router(tags=["consultation"])


def consultation_ref(c) -> dict:
    frozen = getattr(c, "frozen", None)  # the counts kept when its responses were purged
    return {"id": c.public_id, "title": c.title, "created_at": c.created_at,
            "closes_at": c.closes_at, "purged_at": frozen.purged_at if frozen else None}


def unit(view) -> dict | None:
    if view is None:
        return None
    return {"group": view.group, "members": list(view.members), "n": view.n,
            "distribution": dict(view.distribution), "scored": view.scored,
            "severity_index": view.severity_index, "agreement": view.agreement}


@router.get("/reviews/{slug}/consultation", response={200: ConsultationOut, **REVIEW},
            auth=review(READ), summary="The consultation's published figures")
def consultation_results(request, slug: SlugPath, consultation: UUID | None = None):
    """The review's latest consultation (or the one ``consultation`` names, by id): per
    question, each stakeholder group large enough to show, the merged pool of the smaller
    ones when it is large enough itself, the groups withheld, the overall, CJS and health
    figures and their divergence. ``consultation`` is null when the review has none."""
    r = request.review
    consultations = list(r.consultations.select_related("frozen")
                         .order_by("-created_at", "-pk"))
    chosen = None
    if consultation is not None:
        chosen = next((c for c in consultations if c.public_id == consultation), None)
        if chosen is None:
            raise ApiError(404, _("This review has no such consultation."))
    instrument = instrument_for(request, r)
    results = review_results(r, chosen, instrument=instrument)
    out = {"consultation": None, "consultations": [consultation_ref(c) for c in consultations],
           "threshold": None, "disagreement_points": DISAGREEMENT, "responses": None,
           "questions": [], "domains": []}
    if results is None:
        return out
    domain_of = {q.id: d.id for level in instrument.levels for d in level.domains
                 for q in d.questions}
    position = {qid: i for i, qid in enumerate(domain_of)}
    out.update({
        "consultation": consultation_ref(results.consultation),
        "threshold": results.threshold,
        "questions": [{"question_id": qid, "domain_id": domain_of.get(qid, ""),
                       "groups": [unit(v) for v in agg.groups],
                       "withheld": list(agg.withheld), "overall": unit(agg.overall),
                       "cjs": unit(agg.cjs), "health": unit(agg.health),
                       "divergence": agg.divergence,
                       "disagree": results.disagree(agg.divergence)}
                      for qid, agg in sorted(results.questions.items(), key=lambda kv: (
                          position.get(kv[0], len(position)), kv[0]))],
        "domains": [{"domain_id": d.domain_id, "divergence": d.divergence,
                     "questions": d.questions, "disagree": results.disagree(d.divergence)}
                    for d in results.domains.values()],
    })
    if results.responses is not None:
        overall = results.responses.overall
        out["responses"] = {"groups": [unit(v) for v in results.responses.groups],
                            "withheld": list(results.responses.withheld),
                            "total": overall.n if overall else 0}
    return out
