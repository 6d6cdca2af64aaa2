"""Counting requests per visitor for a while, without keeping who the visitor is.

A visitor is their network address, hashed with the site's secret key (HMAC) together with
what is counted (a survey link, say): the cache holds only that digest and a count, and
forgets both when the window ends. No address is written to the database or a log.

The counts live in Django's cache: by default each server process's own memory, so with
several workers a limit applies per worker (docs/deployment.md, "Security").
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


def client_address(request) -> str:
    """The visitor's address: ``REMOTE_ADDR``, or behind ``ACSREVIEW_PROXIES`` proxies
    the address the outermost one saw (that many entries from the right of
    X-Forwarded-For; entries further left are the visitor's to forge)."""
    proxies = getattr(settings, "ACSREVIEW_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in
                 request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def hit(scope: str, subject: str, request, *, limit: int, window: int) -> int | None:
    """Count a request of this visitor on ``subject`` (within ``scope``).

    Returns None while at most ``limit`` were counted in the current window of ``window``
    seconds, else the seconds until the window ends. ``limit`` 0 counts nothing.
    """
    if limit <= 0:
        return None
    now = int(time.time())
    digest = salted_hmac(f"acsreview.ratelimit.{scope}", f"{subject}|{client_address(request)}",
                         algorithm="sha256").hexdigest()[:32]
    key = f"rl:{scope}:{digest}:{now // window}"
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    if count <= limit:
        return None
    return window - now % window
