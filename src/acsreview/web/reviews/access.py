"""Who may do what: deny by default, one small helper per question.

A coordinator may do everything. Otherwise a person's role comes from their
membership of the review's jurisdiction, or of a jurisdiction it is part of
(a lead for Spain leads the review of Catalonia too).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Jurisdiction, Membership, Review, Role

READ = {Role.COORDINATOR, Role.LEAD, Role.CONTRIBUTOR, Role.VIEWER}
EDIT = {Role.COORDINATOR, Role.LEAD, Role.CONTRIBUTOR}
MANAGE = {Role.COORDINATOR, Role.LEAD}


class Forbidden(Exception):
    """The person may see the thing but not do this to it (answered with 403)."""


def role_in(user, jurisdiction: Jurisdiction) -> Role | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_coordinator:
        return Role.COORDINATOR
    lineage = jurisdiction.lineage()
    roles = dict(Membership.objects.filter(user=user, jurisdiction__in=lineage)
                 .values_list("jurisdiction_id", "role"))
    for node in lineage:  # the nearest membership wins
        if node.pk in roles:
            return Role(roles[node.pk])
    return None


def visible_reviews(user):
    """The reviews ``user`` may read."""
    qs = Review.objects.select_related("jurisdiction")
    if not user.is_authenticated:
        return qs.none()
    if user.is_coordinator:
        return qs
    codes = set(Membership.objects.filter(user=user).values_list("jurisdiction_id", flat=True))
    # memberships cover the regions below them: expand down the tree
    frontier = set(codes)
    while frontier:
        frontier = set(Jurisdiction.objects.filter(parent_id__in=frontier)
                       .values_list("id", flat=True)) - codes
        codes |= frontier
    return qs.filter(jurisdiction_id__in=codes)


def get_review(user, slug: str, need: set[Role] = READ) -> tuple[Review, Role]:
    """The review and the person's role in it.

    404 when the person may not even read it (its existence is not revealed);
    :class:`Forbidden` when they may read it but not do what ``need`` says.
    """
    review = get_object_or_404(Review.objects.select_related("jurisdiction"), slug=slug)
    role = role_in(user, review.jurisdiction)
    if role is None:
        raise Http404
    if role not in need:
        raise Forbidden
    return review, role


def can_edit(role: Role | None, review: Review) -> bool:
    return role in EDIT and not review.is_final


def can_manage(role: Role | None) -> bool:
    return role in MANAGE
