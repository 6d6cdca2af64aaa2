"""Strict readers of settings from the environment: a typo fails loudly, never silently."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(Exception):
    """A setting in the environment is missing or malformed; the message names it."""


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r}: expected true or false")


def env_str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else raw.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def data_dir() -> Path:
    """``ACSREVIEW_DATA_DIR``: the SQLite database and the generated secret live here."""
    path = Path(env_str("ACSREVIEW_DATA_DIR", "./acsreview-data")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path, *, production: bool = False) -> str:
    """``ACSREVIEW_SECRET_KEY``, else one generated once and kept in the data folder.

    Several app servers must share one key: set it in the environment for them. In
    production (``production``: ACSREVIEW_HTTPS=true) it must be set: a key generated on
    one machine would silently differ from the next one's.
    """
    key = env_str("ACSREVIEW_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("ACSREVIEW_SECRET_KEY is too short: use at least 32 characters")
        return key
    if production:
        raise ConfigError("ACSREVIEW_SECRET_KEY must be set when ACSREVIEW_HTTPS=true "
                          "(at least 32 random characters, the same on every app server)")
    keyfile = directory / "secret_key"
    if not keyfile.exists():
        keyfile.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        keyfile.chmod(0o600)
    return keyfile.read_text(encoding="utf-8").strip()


LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def allowed_hosts(*, production: bool = False) -> list[str]:
    """``ACSREVIEW_ALLOWED_HOSTS``: this machine's own names unless set; in production
    (ACSREVIEW_HTTPS=true) it must be set, to real host names, not ``*``."""
    hosts = env_list("ACSREVIEW_ALLOWED_HOSTS", [])
    if not production:
        return hosts or LOCAL_HOSTS
    if not hosts:
        raise ConfigError("ACSREVIEW_ALLOWED_HOSTS must be set when ACSREVIEW_HTTPS=true "
                          "(the host names the app answers to, e.g. acs.example.org)")
    if "*" in hosts:
        raise ConfigError("ACSREVIEW_ALLOWED_HOSTS='*' is not allowed when "
                          "ACSREVIEW_HTTPS=true: name the hosts")
    return hosts


def cache_settings() -> dict:
    """Django's ``CACHES`` from ``ACSREVIEW_CACHE_URL``.

    Unset: each server process counts in its own memory (rate limits, API throttling), with
    nothing more to run. ``redis://host:port/db`` (or ``rediss://`` for TLS): every process
    of every app server counts in one Redis, so that a limit is the same whatever the number
    of workers and servers (docs/deployment.md, "Several app servers").
    """
    url = env_str("ACSREVIEW_CACHE_URL")
    if url is None:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                            "LOCATION": "acsreview"}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"ACSREVIEW_CACHE_URL={url!r}: expected redis://host:port/db, "
                          "rediss://... or unix://...")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": url, "KEY_PREFIX": "acsreview"}}
