"""`acsreview serve`, `demo` and `manage`: run the app, load the demo, pass through to Django."""

from __future__ import annotations

import os
import sys

import click

from .common import setup_django


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Gunicorn worker processes.")
@click.option("--demo", "with_demo", is_flag=True,
              help="Load the demo data first, mark every page as demo, and print a login.")
def serve(host: str, port: int, workers: int, with_demo: bool) -> None:
    """Migrate the database if needed and serve the web app with gunicorn."""
    if with_demo:
        os.environ["ACSREVIEW_DEMO"] = "true"
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    url_host = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host  # noqa: S104
    click.echo(f"acsreview is starting at http://{url_host}:{port}/")
    click.echo(f"Data folder: {settings.DATA_DIR}")
    db = settings.DATABASES["default"]
    click.echo(f"Database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
    if with_demo:
        from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo

        login = load_demo()
        click.echo("Demo data loaded (synthetic, about fictional jurisdictions).")
        click.echo(f"Demo login: {login.email} / password: {login.password}")
        click.echo(f"Demo login (XA review lead): {DEMO_LEAD_EMAIL} / password: {login.password}")
    click.echo("Press Ctrl+C to stop.")
    from django.db import connections

    from acsreview.web.server import run

    # The workers are forked from this process: none may inherit its database connection.
    connections.close_all()

    run(host=host, port=port, workers=workers)


@click.command()
@click.option("--reset", is_flag=True, help="Remove the demo data first, then load it afresh.")
def demo(reset: bool) -> None:
    """Load the demo data (idempotently) into the current database."""
    setup_django()
    from django.core.management import call_command

    from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    login = load_demo(reset=reset)
    click.echo("Demo data loaded (synthetic, about fictional jurisdictions).")
    click.echo("Start the app with: acsreview serve --demo (it serves http://localhost:8000/)")
    click.echo(f"Demo login: {login.email} / password: {login.password}")
    click.echo(f"Demo login (XA review lead): {DEMO_LEAD_EMAIL} / password: {login.password}")


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False,
                                 "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run any Django management command: acsreview manage migrate, check --deploy, ..."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["acsreview manage", *args])
    sys.exit(0)
