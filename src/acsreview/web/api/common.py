"""What the endpoints share: paging, roles in bulk, numbers as JSON takes them."""

from __future__ import annotations

from decimal import Decimal

from acsreview.web.reviews.models import Jurisdiction, Membership, Role


def paged(items, page) -> dict:
    """One page of ``items`` (a list, or an ordered queryset) with the count of all."""
    count = items.count() if hasattr(items, "model") else len(items)
    return {"count": count, "limit": page.limit, "offset": page.offset,
            "items": list(items[page.offset:page.offset + page.limit])}


class Roles:
    """The person's role in every jurisdiction, from two queries.

    The same rule as :func:`acsreview.web.reviews.access.role_in` (a coordinator
    everywhere; else the nearest membership up the jurisdiction's lineage), for the
    many jurisdictions of a list at once.
    """

    def __init__(self, user):
        self.coordinator = bool(user.is_authenticated and user.is_active
                                and user.is_coordinator)
        self.parents = dict(Jurisdiction.objects.values_list("id", "parent_id"))
        self.direct = dict(Membership.objects.filter(user=user)
                           .values_list("jurisdiction_id", "role"))

    def of(self, jurisdiction_id: int) -> Role | None:
        if self.coordinator:
            return Role.COORDINATOR
        node, seen = jurisdiction_id, set()
        while node is not None and node not in seen:
            if node in self.direct:
                return Role(self.direct[node])
            seen.add(node)
            node = self.parents.get(node)
        return None

    def visible(self) -> list[int]:
        return [j for j in self.parents if self.of(j) is not None]


def number(value) -> float | None:
    """A Decimal (or any number) as a float for JSON; None stays None."""
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value
