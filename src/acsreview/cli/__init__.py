"""The `acsreview` command: thin commands over core, reports and the web app.

Exit codes: 0 success; 1 bad input or a failed check (the message names the file,
row or field); 2 a wrong command line (click's usage errors).
"""

from __future__ import annotations

import click

import acsreview

from .accounts import createuser, token
from .backup import backup, restore
from .bench import bench
from .common import fail, missing_database
from .consultation import consultation
from .export import export
from .instrument import instrument
from .inventory import inventory
from .report import report
from .serve import demo, manage, serve


class _Cli(click.Group):
    """The command group, with one more one-line error: a database that is not there."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            where = missing_database(exc)
            if where is None:
                raise
            fail(f"no acsreview database in {where}: start one with `acsreview serve` (or "
                 "`acsreview demo`), or set ACSREVIEW_DATA_DIR or DATABASE_URL to the one "
                 "the app uses")


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(acsreview.__version__, prog_name="acsreview")
def cli() -> None:
    """Review how a country uses alternatives to coercive sanctions (ACS) for drug-using
    offenders: the instrument, the review, the consultation, reports and exports."""


cli.add_command(serve)
cli.add_command(demo)
cli.add_command(manage)
cli.add_command(instrument)
cli.add_command(inventory)
cli.add_command(createuser)
cli.add_command(token)
cli.add_command(bench)
cli.add_command(consultation)
cli.add_command(export)
cli.add_command(report)
cli.add_command(backup)
cli.add_command(restore)


def main() -> None:
    cli(prog_name="acsreview")
