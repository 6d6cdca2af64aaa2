"""Jurisdictions and reviews: what the person may see, with their role in each."""

from __future__ import annotations

from ninja import Query, Router

from acsreview.core.profile import barrier_profile
from acsreview.web.reviews.access import READ, can_edit, visible_reviews
from acsreview.web.reviews.models import Jurisdiction
from acsreview.web.reviews.views.common import domain_progress, instrument_for

from .auth import review, token
from .common import Roles, paged
from .errors import LIST, REVIEW
from .schemas import (
    JurisdictionPage,
    PageQuery,
    ReviewDetailOut,
    ReviewPage,
    ReviewQuery,
    SlugPath,
)

router = Router(tags=["reviews"])


@router.get("/jurisdictions", response={200: JurisdictionPage, **LIST}, auth=token,
            summary="The jurisdictions you have a role in")
def jurisdictions(request, page: Query[PageQuery]):
    """Coordinators see every jurisdiction; others those they have a role in, and the
    regions under them. ``role`` is your role there."""
    roles = Roles(request.auth)
    qs = (Jurisdiction.objects.filter(pk__in=roles.visible()).select_related("parent")
          .order_by("code"))
    result = paged(qs, page)
    result["items"] = [{"code": j.code, "name": j.name,
                        "parent": j.parent.code if j.parent else None,
                        "is_demo": j.is_demo, "role": roles.of(j.pk)}
                       for j in result["items"]]
    return result


def review_row(r, role) -> dict:
    return {"slug": r.slug, "jurisdiction": r.jurisdiction.code,
            "jurisdiction_name": r.jurisdiction.name, "round": r.round, "status": r.status,
            "instrument_id": r.instrument_id, "instrument_version": r.instrument_version,
            "is_demo": r.jurisdiction.is_demo,
            "carried_from": r.carried_from.slug if r.carried_from else None,
            "created_at": r.created_at, "role": role, "can_edit": can_edit(role, r)}


@router.get("/reviews", response={200: ReviewPage, **LIST}, auth=token,
            summary="The reviews you may read")
def reviews(request, query: Query[ReviewQuery]):
    """By jurisdiction code, then the latest round first; filter by jurisdiction, round
    or status."""
    qs = (visible_reviews(request.auth).select_related("jurisdiction", "carried_from")
          .order_by("jurisdiction__code", "-round", "pk"))
    if query.jurisdiction:
        qs = qs.filter(jurisdiction__code=query.jurisdiction.upper())
    if query.round is not None:
        qs = qs.filter(round=query.round)
    if query.status:
        qs = qs.filter(status=query.status)
    roles = Roles(request.auth)
    result = paged(qs, query)
    result["items"] = [review_row(r, roles.of(r.jurisdiction_id)) for r in result["items"]]
    return result


@router.get("/reviews/{slug}", response={200: ReviewDetailOut, **REVIEW},
            auth=review(READ), summary="One review and its progress")
def review_detail(request, slug: SlugPath):
    r = request.review
    instrument = instrument_for(request, r)
    answers = {a.item_id: a for a in r.answers.all()}
    progress = domain_progress(instrument, answers)
    overall = barrier_profile(instrument, answers).overall
    return review_row(r, request.role) | {
        "items": sum(p["total"] for p in progress),
        "answered": sum(p["answered"] for p in progress),
        "carried_over": sum(p["carried"] for p in progress),
        "measures": r.measures.count(),
        "overall_index": overall.index, "overall_scored": overall.scored,
    }
