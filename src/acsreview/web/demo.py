"""The demo: data about fictional jurisdictions, for trying the tool out.

Idempotent: loading twice leaves one copy. The demo login's password is random,
made once per data folder and kept there, so that a demo server never runs
with a password published in our docs.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

DEMO_EMAIL = "coordinator@demo.acsreview.invalid"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str


def _demo_password() -> str:
    path = settings.DATA_DIR / "demo-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


@transaction.atomic
def load_demo(*, reset: bool = False) -> DemoLogin:
    from acsreview.web.accounts.models import User

    if reset:
        User.objects.filter(email__endswith="@demo.acsreview.invalid").delete()
    password = _demo_password()
    user, _created = User.objects.get_or_create(
        email=DEMO_EMAIL,
        defaults={"name": "Demo coordinator", "is_staff": True, "is_superuser": True},
    )
    user.set_password(password)
    user.save()
    return DemoLogin(DEMO_EMAIL, password)
