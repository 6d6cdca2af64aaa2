"""`acsreview backup -o FILE` and `acsreview restore FILE`: the whole database in one file."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click

from .common import fail, setup_django


@contextmanager
def _progress(label: str):
    """A progress bar on a terminal; yields ``advance(done, total)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), transient=True,
                  disable=not sys.stdout.isatty()) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@click.command()
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The backup file to write (a zip; e.g. acsreview-2026-05-01.zip).")
def backup(output: Path) -> None:
    """Write the whole database to one file: people, reviews, consultations, the audit trail.

    The file holds password hashes and special-category data: keep it as safe as the
    database. Sessions and sign-in attempts are left out.
    """
    setup_django()
    from django.db import DatabaseError

    from acsreview.web.backup import BackupError, create_backup

    started = time.monotonic()
    try:
        with _progress("backing up") as advance:
            manifest = create_backup(output, progress=advance)
    except BackupError as exc:
        fail(f"{output}: {exc}")
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    except DatabaseError as exc:
        fail(f"database: {_first_line(exc)}")
    click.echo(f"wrote {output}: {manifest['rows']} rows in {len(manifest['tables'])} tables "
               f"in {time.monotonic() - started:.1f} s (sha256 {manifest['sha256'][:16]}…)")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Wipe what the database holds first (in the same transaction).")
def restore(file: Path, replace: bool) -> None:
    """Restore the backup FILE into this database (migrated first if needed).

    Into an empty database only, unless --replace. All or nothing: on any problem the
    database is left as it was.
    """
    setup_django()
    from django.db import DatabaseError

    from acsreview.web.backup import BackupError, restore_backup

    started = time.monotonic()
    try:
        with _progress("restoring") as advance:
            restored = restore_backup(file, replace=replace, progress=advance)
    except BackupError as exc:
        fail(f"{file}: {exc}")
    except DatabaseError as exc:
        fail(f"database: {_first_line(exc)}")
    manifest = restored.manifest
    click.echo(f"restored {file}: {restored.rows} rows in {len(manifest['tables'])} tables "
               f"(made {manifest.get('created_at')} by acsreview "
               f"{manifest.get('acsreview_version')}) "
               f"in {time.monotonic() - started:.1f} s"
               + ("; then migrated forward" if restored.migrated_forward else ""))
