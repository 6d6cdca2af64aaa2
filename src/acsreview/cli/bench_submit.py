"""`acsreview bench submit`: anonymous survey submissions against the real server.

gunicorn with 2 workers serves the app on loopback; simulated respondents, bounded in
number and time, each fill in a complete survey (start, every page, submit) as a
browser without JavaScript would. The floor is the same server answering the health
check (a view that writes nothing) to the same clients for the same time.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

import click

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIOS = re.compile(r'type="radio" name="([A-Z0-9_]+)" value="([a-z_]+)"')
TEXTAREAS = re.compile(r'<textarea[^>]*name="([A-Z0-9_]+)"')
ANSWERS = ["yes", "partly", "no", "dont_know", "prefer_not_to_say"]
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    submit_latencies: list[float] = field(default_factory=list)
    surveys: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Respondent:
    """One device: its own cookies, no JavaScript."""

    def __init__(self, base: str, tally: Tally):
        self.base, self.tally = base, tally
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                                  _NoRedirect())

    def request(self, path: str, data: dict | None = None, *, submit=False) -> tuple[int, str,
                                                                                     str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={
            "Referer": self.base + path})
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as resp:
                status, text, location = resp.status, resp.read().decode(), ""
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
            location = exc.headers.get("Location", "")
        elapsed = time.perf_counter() - start
        with self.tally.lock:
            self.tally.latencies.append(elapsed)
            if submit:
                self.tally.submit_latencies.append(elapsed)
        if status >= 400:
            raise RuntimeError(f"{status} on {path}")
        return status, text, location

    def survey(self, token: str, rng) -> None:
        _, html, _ = self.request(f"/c/{token}/")
        csrf = CSRF.search(html).group(1)
        _, _, location = self.request(f"/c/{token}/", {"csrfmiddlewaretoken": csrf,
                                                      "language": "en"})
        path = urllib.parse.urlparse(location).path
        while "/p/" in path:
            _, html, _ = self.request(path)
            csrf = CSRF.search(html).group(1)
            data = {"csrfmiddlewaretoken": csrf}
            for name in dict.fromkeys(n for n, _v in RADIOS.findall(html)):
                data[name] = rng.choice(ANSWERS)
            for name in TEXTAREAS.findall(html):
                data[name] = "Synthetic benchmark answer."
            _, _, location = self.request(path, data)
            path = urllib.parse.urlparse(location).path
        _, html, _ = self.request(f"/c/{token}/review/")
        csrf = CSRF.search(html).group(1)
        status, _, _ = self.request(f"/c/{token}/submit/", {"csrfmiddlewaretoken": csrf},
                                    submit=True)
        with self.tally.lock:
            self.tally.surveys += 1


def _drive(clients: int, seconds: float, limit: int, work) -> tuple[Tally, float]:
    """Run ``work(tally, rng)`` on ``clients`` threads until ``limit`` or ``seconds``."""
    import random

    tally = Tally()
    stop = time.monotonic() + seconds
    started = [0]
    guard = threading.Lock()

    def loop(seed):
        rng = random.Random(seed)
        while time.monotonic() < stop:
            with guard:
                if started[0] >= limit:
                    return
                started[0] += 1
            try:
                work(tally, rng)
            except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
                with tally.lock:
                    tally.errors.append(str(exc))

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally, time.perf_counter() - begin


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def _prepare(env: dict) -> str:
    """Migrate and make a review with a consultation open to the police; its token."""
    script = (
        "from acsreview.web.reviews.models import Jurisdiction, Review\n"
        "from acsreview.web.consultations.models import Consultation, Link\n"
        "j, _ = Jurisdiction.objects.get_or_create(code='QZ', defaults={'name': 'Benchmark',"
        " 'is_demo': True})\n"
        "r, _ = Review.objects.get_or_create(jurisdiction=j, round=2099,"
        " defaults={'instrument_version': '1.0'})\n"
        "c = Consultation.objects.create(review=r, languages=['en'])\n"
        "print(Link.objects.create(consultation=c, group='police').token)\n"
    )
    run = [sys.executable, "-m", "acsreview", "manage"]
    subprocess.run([*run, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    out = subprocess.run([*run, "shell", "-c", script], env=env, check=True,
                         capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def _count_submitted(env: dict, token: str) -> int:
    script = ("from acsreview.web.consultations.models import Response\n"
              f"print(Response.objects.filter(consultation__links__token='{token}',"
              " submitted_at__isnull=False).count())\n")
    out = subprocess.run([sys.executable, "-m", "acsreview", "manage", "shell", "-c", script],
                         env=env, check=True, capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1])


def run_one(database: str, clients: int, surveys: int, seconds: float) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env["ACSREVIEW_DATA_DIR"] = tempfile.mkdtemp(prefix="acsreview-bench-")
    # Every simulated respondent comes from 127.0.0.1 on one link: above the survey rate
    # limit's default (docs/deployment.md, "Security"), still counted as in production.
    env["ACSREVIEW_SURVEY_RATE"] = "1000000"
    env.pop("DATABASE_URL", None)
    pg_name = None
    pg_base = os.environ.get("ACSREVIEW_TEST_DATABASE_URL") or DEFAULT_PG
    if database == "postgresql":
        import psycopg

        # A database of its own, dropped afterwards: the benchmark never touches real data.
        pg_name = f"acsreview_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        env["DATABASE_URL"] = pg_base.rsplit("/", 1)[0] + "/" + pg_name
    port = _free_port()
    server = None
    try:
        token = _prepare(env)
        server = subprocess.Popen(
            [sys.executable, "-m", "acsreview", "serve", "--port", str(port), "--workers", "2"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start: "
                                       + server.stderr.read()) from None
                time.sleep(0.2)

        def floor_work(tally, rng):
            Respondent(base, tally).request("/healthz")

        def survey_work(tally, rng):
            Respondent(base, tally).survey(token, rng)

        warm, _ = _drive(min(clients, 4), 10, 4, survey_work)  # templates, connections
        tally, elapsed = _drive(clients, seconds, surveys, survey_work)
        floor_seconds = max(3.0, min(elapsed, 20.0))
        floor, floor_elapsed = _drive(clients, floor_seconds, 10**9, floor_work)
        acknowledged = tally.surveys + warm.surveys
        stored = _count_submitted(env, token)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if pg_name:
            import psycopg

            with psycopg.connect(pg_base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    rps = len(tally.latencies) / elapsed
    floor_rps = len(floor.latencies) / floor_elapsed
    return {
        "database": database, "clients": clients, "surveys": tally.surveys,
        "requests": len(tally.latencies), "errors": len(tally.errors),
        "first_error": tally.errors[0] if tally.errors else "",
        "surveys_per_s": tally.surveys / elapsed, "requests_per_s": rps,
        "p50_ms": _pct(tally.latencies, 0.5) * 1000, "p95_ms": _pct(tally.latencies, 0.95) * 1000,
        "submit_p95_ms": _pct(tally.submit_latencies, 0.95) * 1000,
        "floor_requests_per_s": floor_rps, "ratio": rps / floor_rps,
        "acknowledged": acknowledged, "stored": stored, "lost": acknowledged - stored,
    }


@click.command("submit")
@click.option("--database", type=click.Choice(["sqlite", "postgresql", "both"]),
              default="both", show_default=True)
@click.option("--clients", default=32, show_default=True, type=click.IntRange(1, 256),
              help="Respondents at once.")
@click.option("--surveys", default=200, show_default=True, type=click.IntRange(1, 100_000),
              help="Complete surveys to submit at most.")
@click.option("--seconds", default=120.0, show_default=True, type=click.FloatRange(5, 1800),
              help="Stop starting new surveys after this long.")
def submit(database: str, clients: int, surveys: int, seconds: float) -> None:
    """Survey submissions per second, latency, and zero lost (targets: p95 under 150 ms at 32
    respondents, at least 0.4 of the floor's throughput)."""
    results = []
    for db in (["sqlite", "postgresql"] if database == "both" else [database]):
        r = run_one(db, clients, surveys, seconds)
        results.append(r)
        click.echo(f"{db}: {r['surveys']} surveys ({r['requests']} requests) by {clients} "
                   f"respondents: {r['surveys_per_s']:.1f} surveys/s, "
                   f"{r['requests_per_s']:.0f} requests/s, p50 {r['p50_ms']:.0f} ms, "
                   f"p95 {r['p95_ms']:.0f} ms (submit p95 {r['submit_p95_ms']:.0f} ms); "
                   f"floor {r['floor_requests_per_s']:.0f} requests/s, ratio "
                   f"{r['ratio']:.2f}; acknowledged {r['acknowledged']}, stored "
                   f"{r['stored']}, lost {r['lost']}; errors {r['errors']}"
                   + (f" (first: {r['first_error']})" if r["errors"] else ""))
    worst = max(results, key=lambda r: r["p95_ms"])
    click.echo(" ".join([
        f"seconds={1 / max(worst['surveys_per_s'], 1e-9):.3f}",
        f"p95_ms={worst['p95_ms']:.0f}",
        f"ratio={min(r['ratio'] for r in results):.2f}",
        f"surveys_per_s={min(r['surveys_per_s'] for r in results):.1f}",
        f"lost={sum(r['lost'] for r in results)}",
        f"errors={sum(r['errors'] for r in results)}",
        f"clients={clients}",
    ]))
