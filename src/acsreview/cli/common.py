"""What every command shares: Django set-up and one-line errors."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 1: bad input or a failed check, never a traceback."""
    sys.stdout.flush()
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acsreview.web.settings")
    from acsreview.web.env import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        fail(f"configuration: {exc}")


def setup_translations() -> None:
    """Django's translation machinery alone, for commands that need no database.

    Commands such as `instrument export` translate a few fixed strings; they must
    not create a data folder or need a secret key.
    """
    from django.conf import settings

    if settings.configured:
        return
    from pathlib import Path

    import django

    settings.configure(
        USE_I18N=True,
        LANGUAGE_CODE="en",
        LOCALE_PATHS=[Path(__file__).resolve().parent.parent / "locale"],
        INSTALLED_APPS=[],
    )
    django.setup()
