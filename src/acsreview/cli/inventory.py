"""`acsreview inventory ...`: the ACS inventory's XLSX template, and importing a filled one."""

from __future__ import annotations

from pathlib import Path

import click

from .common import acting_user, fail, find_review, import_progress, setup_django


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
    """Import the filled-in workbook FILE into REVIEW (a slug such as XA-2026).

    All or nothing: every problem is listed by sheet, row and column, and then nothing
    is written.
    """
    setup_django()
    from acsreview.web.instruments import instrument_of
    from acsreview.web.reviews.services.inventory_import import ImportFailed, import_inventory

    target = find_review(review)
    if not file.is_file():
        fail(f"{file}: no such file")
    user = acting_user(email)

    try:
        with import_progress() as advance:
            summary = import_inventory(target, file, instrument_of(target), user,
                                       progress=advance)
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        fail(f"{len(exc.problems)} problem(s): nothing imported")
    click.echo(f"imported into {target.slug}: {summary}")
