"""`acsreview serve` runs the real server (gunicorn + whitenoise) and `demo` gives a login."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from acsreview.web.demo import DEMO_EMAIL, load_demo


def app_env(data_dir, **extra):
    """The environment of a fresh user's shell: none of the test run's Django settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "ACSREVIEW_DEMO", "DJANGO_SETTINGS_MODULE"}}
    return {**env, "ACSREVIEW_DATA_DIR": str(data_dir), **extra}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode("utf-8", "replace")


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database for a served app, dropped afterwards; None on SQLite runs."""
    base = os.environ.get("ACSREVIEW_TEST_DATABASE_URL")
    if not base:
        yield None
        return
    import uuid

    import psycopg

    name = f"acsreview_serve_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(tmp_path, postgres_url):
    port = free_port()
    env = app_env(tmp_path / "data", **({"DATABASE_URL": postgres_url} if postgres_url else {}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "acsreview", "serve", "--port", str(port), "--demo"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get(base + "/healthz")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("server did not start:\n" + proc.stdout.read())
            time.sleep(0.2)
    yield base, proc, tmp_path / "data", postgres_url
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_serve_migrates_serves_pages_and_static_files_and_prints_a_demo_login(server):
    base, proc, data, postgres_url = server
    status, html = get(base + "/")
    assert status == 200
    assert "synthetic data about fictional jurisdictions" in html
    status, css = get(base + "/static/vendor/pico/pico.min.css")
    assert status == 200 and "--pico" in css
    # the database is the one configured: SQLite in the data folder, else DATABASE_URL
    assert (data / "acsreview.sqlite3").exists() is (postgres_url is None)
    os.killpg(proc.pid, signal.SIGTERM)
    output = proc.communicate(timeout=20)[0]
    assert f"acsreview is starting at http://localhost:{base.rsplit(':', 1)[1]}/" in output
    assert re.search(rf"Demo login: {re.escape(DEMO_EMAIL)} / password: \S+", output)
    assert "Traceback" not in output
    assert ("Database: postgresql" in output) is (postgres_url is not None)


@pytest.mark.django_db
def test_the_demo_loads_idempotently_with_a_working_login(cli):
    from acsreview.web.accounts.models import User

    first = load_demo()
    second = load_demo()
    assert first == second
    assert User.objects.filter(email=DEMO_EMAIL).count() == 1
    user = User.objects.get(email=DEMO_EMAIL)
    assert user.check_password(first.password) and user.is_staff
    result = cli("demo", "--reset")
    assert result.exit_code == 0
    assert f"Demo login: {DEMO_EMAIL} / password: {first.password}" in result.output
    assert User.objects.filter(email=DEMO_EMAIL).count() == 1


@pytest.mark.django_db
def test_the_demo_login_signs_in_to_the_admin(client):
    login = load_demo()
    response = client.post("/admin/login/?next=/admin/",
                           {"username": login.email, "password": login.password})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_manage_passes_through_to_django(tmp_path):
    env = app_env(tmp_path)
    result = subprocess.run([sys.executable, "-m", "acsreview", "manage", "check"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_malformed_setting_is_a_one_line_error(tmp_path):
    env = app_env(tmp_path, ACSREVIEW_DEBUG="maybe")
    result = subprocess.run([sys.executable, "-m", "acsreview", "manage", "check"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == \
        "error: configuration: ACSREVIEW_DEBUG='maybe': expected true or false"
