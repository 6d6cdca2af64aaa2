"""The demo: data about fictional jurisdictions, for trying the tool out.

Three fictional jurisdictions (Xandria XA, with the region Northern Xandria XA-N;
Bellmark XB; Corvania XC) under ISO 3166 user-assigned codes, four personas, and
four reviews: XA-2024 (final), XA-2026 (draft, carried over from XA-2024 and partly
reviewed), XB-2026 (consultation) and XC-2026 (draft, partly answered).

Idempotent: loading twice leaves one copy; ``reset`` removes every demo jurisdiction
(with everything under it) and every demo persona first. The personas' password is
random, made once per data folder and kept there, so that a demo server never runs
with a password published in our docs.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

DEMO_DOMAIN = "@demo.acsreview.invalid"  # .invalid: reserved, can never be a real address
DEMO_EMAIL = "coordinator" + DEMO_DOMAIN
DEMO_LEAD_EMAIL = "lead.xa" + DEMO_DOMAIN
DEMO_LEAD_LABEL = "XA review lead"

# (role, e-mail, name, jurisdiction code or None)
PERSONAS = [
    ("coordinator", DEMO_EMAIL, "Demo coordinator", None),
    ("lead", DEMO_LEAD_EMAIL, "Demo review lead (Xandria)", "XA"),
    ("contributor", "contributor.xa" + DEMO_DOMAIN, "Demo contributor (Xandria)", "XA"),
    ("viewer", "viewer.xb" + DEMO_DOMAIN, "Demo viewer (Bellmark)", "XB"),
]


class DemoConflict(Exception):
    """A demo code is taken by a jurisdiction that is not demo data: nothing is touched."""


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str


def demo_logins() -> list[tuple[str, str]]:
    """Every persona as (role, e-mail); they all share the demo password."""
    return [(role, email) for role, email, _name, _code in PERSONAS]


def _demo_password() -> str:
    path = settings.DATA_DIR / "demo-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


@transaction.atomic
def load_demo(*, reset: bool = False) -> DemoLogin:
    """Load the demo (what is already there is kept); the coordinator's login."""
    from acsreview.core.instrument import shipped_library

    from .build import build_all

    if reset:
        delete_demo()
    password = _demo_password()
    places = _jurisdictions()
    users = _personas(password, places)
    build_all(shipped_library().get("acs-diagnostic", "1.0"), places, users)
    return DemoLogin(DEMO_EMAIL, password)


def _jurisdictions() -> dict:
    from acsreview.web.reviews.models import Jurisdiction

    from .content import PLACES, REGIONS

    found = {}
    for code, name, parent in [(p.code, p.name, None) for p in PLACES.values()] + REGIONS:
        j, _created = Jurisdiction.objects.get_or_create(
            code=code, defaults={"name": name, "is_demo": True,
                                 "parent": found.get(parent)})
        if not j.is_demo:
            raise DemoConflict(f"jurisdiction {code} exists and is not demo data")
        found[code] = j
    return found


def _personas(password: str, places: dict) -> dict:
    from django.contrib.auth.hashers import make_password

    from acsreview.web.accounts.models import User
    from acsreview.web.reviews.models import Membership

    hashed = make_password(password)  # once: hashing is slow on purpose
    users = {}
    for role, email, name, code in PERSONAS:
        coordinator = role == "coordinator"
        user, _created = User.objects.get_or_create(email=email, defaults={"name": name})
        user.password = hashed
        user.is_active = True
        user.is_coordinator = user.is_staff = user.is_superuser = coordinator
        user.save()
        if code:
            Membership.objects.update_or_create(user=user, jurisdiction=places[code],
                                                defaults={"role": role})
        users[role] = user
    return users


def delete_demo() -> None:
    """Every demo jurisdiction and everything under it, and every demo persona."""
    from acsreview.web.accounts.models import User
    from acsreview.web.reviews.models import Jurisdiction, Review

    ids = set(Jurisdiction.objects.filter(is_demo=True).values_list("id", flat=True))
    frontier = set(ids)
    while frontier:  # the regions under them, demo or not
        frontier = set(Jurisdiction.objects.filter(parent_id__in=frontier)
                       .values_list("id", flat=True)) - ids
        ids |= frontier
    Review.objects.filter(jurisdiction_id__in=ids).delete()
    remaining = set(ids)
    while remaining:  # the deepest first: a jurisdiction protects the ones under it
        parents = set(Jurisdiction.objects.filter(id__in=remaining)
                      .values_list("parent_id", flat=True))
        leaves = remaining - parents
        if not leaves:  # a loop of parents: cut it
            Jurisdiction.objects.filter(id__in=remaining).update(parent=None)
            leaves = remaining
        Jurisdiction.objects.filter(id__in=leaves).delete()
        remaining -= leaves
    User.objects.filter(email__iendswith=DEMO_DOMAIN).delete()
