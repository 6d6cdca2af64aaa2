"""API tokens: made once and shown once, kept only as a digest, revoked but never reused.

A token is ``acs_`` and 43 characters of :func:`secrets.token_urlsafe` (256 random bits).
The database holds its SHA-256 digest, which is enough to recognise it and useless to
use it; and its first characters as a prefix, so that people can tell tokens apart.
Making and revoking a token is recorded in the audit trail (never the token).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from acsreview.web.accounts.models import ApiToken
from acsreview.web.reviews.services.audit import record

SCHEME = "acs_"
PREFIX_LENGTH = len(SCHEME) + 6
# last_used_at is written at most this often per token: not one write per request.
USE_RESOLUTION = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def issue(user, name: str = "", *, by=None) -> tuple[ApiToken, str]:
    """A new token for ``user``: the stored record, and the token itself (shown once)."""
    token = SCHEME + secrets.token_urlsafe(32)
    stored = ApiToken.objects.create(user=user, name=name.strip()[:100],
                                     prefix=token[:PREFIX_LENGTH], digest=digest(token))
    record(by, None, "api_token", stored.pk, "create", None,
           {"user": user.email, "prefix": stored.prefix, "name": stored.name})
    return stored, token


@transaction.atomic
def revoke(tokens, *, by=None) -> int:
    """Revoke the active ones of ``tokens`` (a queryset); how many were."""
    now = timezone.now()
    revoked = 0
    for token in tokens.filter(revoked_at__isnull=True).select_related("user").select_for_update(
            of=("self",)):
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record(by, None, "api_token", token.pk, "revoke", {"revoked_at": None},
               {"user": token.user.email, "prefix": token.prefix,
                "revoked_at": now.isoformat()})
        revoked += 1
    return revoked


def authenticate(token: str):
    """The active person whose active token this is, or None. Notes when it was used."""
    if not token.startswith(SCHEME) or len(token) > 200:
        return None
    stored = (ApiToken.objects.select_related("user")
              .filter(digest=digest(token), revoked_at__isnull=True).first())
    if stored is None or not stored.user.is_active:
        return None
    now = timezone.now()
    if stored.last_used_at is None or now - stored.last_used_at >= USE_RESOLUTION:
        ApiToken.objects.filter(pk=stored.pk).update(last_used_at=now)
    return stored.user
