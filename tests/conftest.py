from pathlib import Path

import pytest
from click.testing import CliRunner

from acsreview.core.instrument import SHIPPED_DIR, shipped_library

# One Chromium for the whole session, shared by every browser test module (tests/browser.py).
from .browser import browser  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent
BASE_FILE = SHIPPED_DIR / "acs-diagnostic-1.0.yaml"


@pytest.fixture(scope="session")
def library():
    return shipped_library()


@pytest.fixture(scope="session")
def instrument(library):
    return library.get("acs-diagnostic", "1.0")


@pytest.fixture
def cli():
    """Invoke the `acsreview` command in-process; returns click's Result."""
    from acsreview.cli import cli as command

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(command, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def cast(db):
    """Coordinator, XA lead, XA contributor, XB viewer and an outsider; XA-2026, XB-2026."""
    from .factories import make_cast

    return make_cast()


@pytest.fixture
def as_user(client):
    """Sign the test client in as a persona: ``as_user(cast.xa_lead)``."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _no_language_left_behind():
    """A request in French activates French for the thread until the next request: a test
    that makes one must not leave the next test (a command run in-process, say) in French."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def scratch_postgres():
    """The URL of a new, empty PostgreSQL database, dropped afterwards (skipped where no
    PostgreSQL answers)."""
    import os
    import uuid

    import psycopg

    server = os.environ.get("ACSREVIEW_TEST_DATABASE_URL",
                            "postgresql://postgres@127.0.0.1:5432/postgres")
    base = server.rsplit("/", 1)[0]
    try:
        admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {base} ({str(exc).strip()[:80]})")
    name = f"acsreview_scratch_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
