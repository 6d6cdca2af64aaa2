"""`acsreview report`: a country report, or a comparative report of a round, as HTML or PDF."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from .common import fail, find_review, setup_django


def standalone(html: str) -> str:
    """A report's HTML with its stylesheet inlined, so that the file stands on its own."""
    from django.contrib.staticfiles import finders

    css = Path(finders.find("acsreview/report.css")).read_text(encoding="utf-8")
    return re.sub(r'<link rel="stylesheet" href="[^"]*report\.css">',
                  lambda _m: f"<style>\n{css}\n</style>", html, count=1)


@click.command("report")
@click.argument("review", required=False)
@click.option("--compare", "codes", default=None, metavar="CODE,CODE,...",
              help="A comparative report of these jurisdictions (with --round).")
@click.option("--round", "round_", type=int, default=None, help="The round to compare.")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), required=True)
@click.option("--lang", default="en", show_default=True,
              help="The report's language: one the instrument ships (en, fr, de).")
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path))
def report(review: str | None, codes: str | None, round_: int | None, fmt: str, lang: str,
           output: Path) -> None:
    """The country report of REVIEW (a slug such as XA-2026), or with --compare a comparative one.

    HTML is one self-contained file (charts as SVG, styles inline); PDF is tagged, with
    page numbers and a table of contents.
    """
    if bool(review) == bool(codes):
        raise click.UsageError("name a REVIEW, or --compare CODE,... with --round (not both)")
    if codes and round_ is None:
        raise click.UsageError("--compare needs --round")
    setup_django()
    from django.conf import settings
    from rich.console import Console

    from acsreview.web.reviews.models import Review

    languages = {code for code, _name in settings.LANGUAGES}
    if lang not in languages:
        fail(f"--lang {lang}: not a language of the reports (one of: "
             f"{', '.join(sorted(languages))})")
    if not output.parent.exists():
        fail(f"{output}: the folder {output.parent} does not exist")
    console = Console(file=sys.stderr)
    if review:
        target = find_review(review)
        label = target.slug
    else:
        wanted = [c.strip().upper() for c in codes.split(",") if c.strip()]
        reviews = list(Review.objects.select_related("jurisdiction")
                       .filter(round=round_, jurisdiction__code__in=wanted)
                       .order_by("jurisdiction__code"))
        found = {r.jurisdiction.code for r in reviews}
        missing = [c for c in wanted if c not in found]
        if missing:
            fail(f"--compare: no review of round {round_} for {', '.join(missing)}")
        label = f"{len(reviews)} jurisdictions, round {round_}"
    with console.status(f"rendering the report of {label}…",
                        spinner="dots") if sys.stderr.isatty() else _quiet():
        if review:
            from acsreview.reports.country import country_pdf, render_country

            data = (country_pdf(target, lang=lang) if fmt == "pdf" else
                    standalone(render_country(target, lang=lang, pdf=True)).encode("utf-8"))
        else:
            from acsreview.reports.comparative import comparative_pdf, render_comparative

            data = (comparative_pdf(reviews, round=round_, lang=lang) if fmt == "pdf" else
                    standalone(render_comparative(reviews, round=round_, lang=lang,
                                                  pdf=True)).encode("utf-8"))
    from acsreview.reports.files import write_whole

    try:
        write_whole(output, data)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    click.echo(f"wrote {output} ({label}, {fmt}, {lang}, {len(data):,} bytes)")


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
