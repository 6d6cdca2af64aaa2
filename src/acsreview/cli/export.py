"""`acsreview export [REVIEW] --format ... -o PATH`: open data of one review or of all."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import fail, find_review, setup_django

FORMATS = ("xlsx", "csv", "json", "datapackage")


@click.command("export")
@click.argument("review", required=False)
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS),
              help="xlsx: a sheet per table; csv: a zip of UTF-8 CSV files; json: one "
                   "document; datapackage: a zip a Frictionless validator accepts.")
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write.")
def export(review: str | None, fmt: str, output: Path) -> None:
    """Export REVIEW (a slug such as XA-2026), or every review when none is named.

    Consultation figures are the published ones only: small groups are never shown apart.
    """
    setup_django()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from acsreview.reports.exports import export as write_export
    from acsreview.web.reviews.models import Review

    if review:
        reviews = [find_review(review)]
    else:
        reviews = list(Review.objects.select_related("jurisdiction")
                       .order_by("jurisdiction__code", "round"))
    if not output.parent.exists():
        fail(f"{output}: the folder {output.parent} does not exist")
    with Progress(TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), transient=True,
                  disable=not sys.stdout.isatty()) as bar:
        task = bar.add_task("export", total=len(reviews))
        try:
            write_export(reviews, fmt, output,
                         progress=lambda done, total: bar.update(task, completed=done))
        except OSError as exc:
            fail(f"{output}: cannot write: {exc.strerror or exc}")
    click.echo(f"wrote {output} ({len(reviews)} review{'s' if len(reviews) != 1 else ''}, "
               f"{fmt})")
