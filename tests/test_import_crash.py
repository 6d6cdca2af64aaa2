"""An import killed midway (SIGKILL, no chance to clean up) leaves the database as it was.

`acsreview inventory import` runs in a subprocess against a scratch database that already
holds a review and some inventory. Its progress bar (on a pseudo-terminal) shows when it
is part-way through writing; then it is killed, and the database must hold exactly what it
held before, and still work.
"""

import hashlib
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

ROWS = 2500  # measures, and as many yearly figures: several seconds of writing
# Long notes make the transaction outgrow SQLite's page cache early, so that uncommitted
# pages reach the write-ahead log on disk before the kill: recovery must ignore them.
NOTES = "Synthetic notes about a fictional measure. " * 50

SETUP = """
from django.core.management import call_command
from acsreview.web.reviews.models import Jurisdiction, Review
call_command("migrate", verbosity=0)
Review.objects.create(jurisdiction=Jurisdiction.objects.create(code="XA", name="Xandria",
                                                               is_demo=True),
                      round=2026, instrument_version="1.0")
"""


def app_env(data_dir, database_url=None):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "ACSREVIEW_DEMO", "DJANGO_SETTINGS_MODULE"}}
    env.update(ACSREVIEW_DATA_DIR=str(data_dir), TERM="xterm", COLUMNS="120")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def acsreview(env, *args):
    result = subprocess.run([sys.executable, "-m", "acsreview", *map(str, args)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def workbook(path, measures, notes=None):
    from acsreview.core.instrument import shipped_library
    from acsreview.web.reviews.services.inventory_import import build_template

    wb = build_template(shipped_library().get("acs-diagnostic", "1.0"))
    for name in measures:
        wb["measures"].append([name, "drug_treatment_order", "sentencing", "Penal Code s. 42",
                               "Possession", "All drugs", "None violent", "Outpatient treatment",
                               "Nationwide", "Probation", "Ministry of Health", notes])
        wb["statistics"].append([name, 2024, 400, 120, 100, 70, 12, "Ministry of Justice"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("import-crash")
    return {"small": workbook(root / "small.xlsx", ["Arrest referral", "Drug court"]),
            "big": workbook(root / "big.xlsx", [f"Measure {i:05d}" for i in range(ROWS)],
                            NOTES),
            "later": workbook(root / "later.xlsx", ["Diversion scheme"])}


def prepare(env, files):
    """A database with a review and two measures, each with its yearly figures."""
    acsreview(env, "manage", "shell", "-c", SETUP)
    acsreview(env, "inventory", "import", "XA-2026", files["small"])


def kill_midway(env, path, ready=lambda: True):
    """Run the import on a terminal; SIGKILL it once its progress bar is a quarter through
    and ``ready()``.

    Returns how far it had got: (rows written, rows to write).
    """
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "acsreview", "inventory", "import",
                             "XA-2026", str(path)], env=env, stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower)
    os.close(follower)
    output, done, total = b"", 0, 0
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            readable, _, _ = select.select([leader], [], [], 0.05)
            if readable:
                try:
                    output += os.read(leader, 65536)
                except OSError:  # the terminal closed: the process has ended
                    break
                counts = re.findall(rb"(\d+)/(\d+)", output[-400:])
                if counts:
                    done, total = map(int, counts[-1])
                if total and total // 4 <= done < total and ready():
                    proc.send_signal(signal.SIGKILL)
                    break
            elif proc.poll() is not None:
                break
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    text = output.decode("utf-8", "replace")
    assert proc.returncode == -signal.SIGKILL, (
        f"the import was not killed midway (exit {proc.returncode}, at {done}/{total}); "
        f"make ROWS larger if this machine is that fast:\n{text[-500:]}")
    assert "imported into" not in text
    return done, total


# --- SQLite --------------------------------------------------------------------------------

def sqlite_state(path):
    """Rows per table, and a digest of the whole database: schema and every row."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = [n for (n,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                  for t in tables}
        digest = hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()
    finally:
        db.close()
    return counts, digest


def test_a_killed_import_leaves_a_sqlite_database_as_it_was(files, tmp_path):
    env = app_env(tmp_path / "data")
    database = tmp_path / "data" / "acsreview.sqlite3"
    prepare(env, files)
    before = sqlite_state(database)
    assert before[0]["reviews_measure"] == 2 and before[0]["reviews_auditevent"] > 0

    wal = database.with_name(database.name + "-wal")
    done, total = kill_midway(env, files["big"], ready=lambda: wal.stat().st_size > 0)
    assert 0 < done < total == 2 * ROWS

    assert sqlite_state(database) == before
    acsreview(env, "inventory", "import", "XA-2026", files["later"])
    counts, _ = sqlite_state(database)
    assert counts["reviews_measure"] == 3 and counts["reviews_measurestat"] == 3


# --- PostgreSQL ----------------------------------------------------------------------------

def postgres_state(url):
    """Rows per table and a digest of every row. (Sequences are left out: PostgreSQL never
    rolls them back, by design, so a rolled-back insert leaves a gap in the ids.)"""
    import psycopg

    with psycopg.connect(url) as db:
        tables = [n for (n,) in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        state = {}
        for table in tables:
            state[table] = db.execute(
                f'SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) '  # noqa: S608
                f'ORDER BY t::text), \'\')) FROM "{table}" t').fetchone()
    return state


def wait_until_disconnected(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as db:
        for _ in range(300):
            others = db.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                                "AND pid <> pg_backend_pid()", (name,)).fetchone()[0]
            if not others:
                return
            time.sleep(0.1)
    raise AssertionError("the killed import's connection is still open")


def test_a_killed_import_leaves_a_postgresql_database_as_it_was(files, tmp_path,
                                                                scratch_postgres):
    env = app_env(tmp_path / "data", scratch_postgres)
    prepare(env, files)
    before = postgres_state(scratch_postgres)
    assert before["reviews_measure"][0] == 2

    done, total = kill_midway(env, files["big"])
    assert 0 < done < total == 2 * ROWS
    wait_until_disconnected(scratch_postgres)

    assert postgres_state(scratch_postgres) == before
    acsreview(env, "inventory", "import", "XA-2026", files["later"])
    after = postgres_state(scratch_postgres)
    assert after["reviews_measure"][0] == 3 and after["reviews_measurestat"][0] == 3
