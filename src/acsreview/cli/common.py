"""What every command shares: Django set-up and one-line errors."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
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


def missing_database(exc: BaseException) -> str | None:
    """Where the database should be, if ``exc`` says its tables are not there (a command
    run outside the data folder, or before the first `acsreview serve`); else None."""
    from django.db import DatabaseError

    text = str(exc)
    if not isinstance(exc, DatabaseError) or not (
            "no such table" in text or ("relation" in text and "does not exist" in text)):
        return None
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return str(db["NAME"])
    return f"{db.get('NAME')} on {db.get('HOST') or 'localhost'}"


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


def find_review(slug: str):
    """The review of that slug, or a one-line error."""
    from acsreview.web.reviews.models import Review

    reviews = Review.objects.select_related("jurisdiction")
    review = reviews.filter(slug=slug).first() or reviews.filter(slug__iexact=slug).first()
    if review is None:
        known = list(reviews.order_by("slug").values_list("slug", flat=True)[:21])
        listed = ", ".join(known[:20]) + (", …" if len(known) > 20 else "")
        fail(f"no review '{slug}' " + (f"(reviews here: {listed})" if known
                                       else "(there are no reviews in this database yet)"))
    return review


def acting_user(email: str | None):
    """The person an import is recorded as (`--as EMAIL`), or None."""
    if email is None:
        return None
    from acsreview.web.accounts.models import User

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        fail(f"--as {email}: no such person")
    return user


@contextmanager
def import_progress():
    """A progress bar for an import (on a terminal only); yields ``advance(done, total)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), transient=True,
                  disable=not click.get_text_stream("stdout").isatty()) as bar:
        task = bar.add_task("import", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
