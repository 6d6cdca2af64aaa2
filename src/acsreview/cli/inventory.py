"""`acsreview inventory ...`: the ACS inventory's XLSX template, and importing a filled one."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from .common import fail, setup_django


@click.group()
def inventory() -> None:
    """The ACS inventory of a review: measures, their yearly figures, context indicators."""


@inventory.command("template")
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Where to write the workbook (.xlsx).")
def template(output: Path) -> None:
    """Write the blank inventory workbook: measures, statistics, indicators and a README."""
    setup_django()
    from acsreview.core.instrument import shipped_library
    from acsreview.core.instrument.shipped import SHIPPED_ID
    from acsreview.web.reviews.services.inventory_import import build_template

    if output.suffix.lower() != ".xlsx":
        fail(f"{output}: the template is an Excel workbook: name it .xlsx")
    workbook = build_template(shipped_library().get(SHIPPED_ID))
    try:
        workbook.save(output)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    click.echo(f"wrote {output}")


@inventory.command("import")
@click.argument("review")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "email", default=None, metavar="EMAIL",
              help="Record the changes in the audit trail as this person.")
def import_(review: str, file: Path, email: str | None) -> None:
    """Import the filled-in workbook FILE into REVIEW (its slug, e.g. XA-2026).

    All or nothing: every problem is listed by sheet, row and column, and then nothing
    is written.
    """
    setup_django()
    from acsreview.web.accounts.models import User
    from acsreview.web.instruments import instrument_of
    from acsreview.web.reviews.models import Review
    from acsreview.web.reviews.services.inventory_import import ImportFailed, import_inventory

    target = Review.objects.select_related("jurisdiction").filter(slug=review).first()
    if target is None:
        fail(f"no review '{review}' (see the review list in the web app)")
    if not file.is_file():
        fail(f"{file}: no such file")
    user = None
    if email is not None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            fail(f"--as {email}: no such person")

    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                  transient=True, disable=not click.get_text_stream("stdout").isatty()) as bar:
        task = bar.add_task("import", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            summary = import_inventory(target, file, instrument_of(target), user,
                                       progress=advance)
        except ImportFailed as exc:
            bar.stop()
            for problem in exc.problems:
                click.echo(str(problem))
            fail(f"{len(exc.problems)} problem(s): nothing imported")
    click.echo(f"imported into {target.slug}: {summary}")
