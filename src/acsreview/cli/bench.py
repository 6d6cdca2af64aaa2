"""`acsreview bench ...`: speed figures against a floor, recorded in docs/benchmarks.md.

Each benchmark runs on a fresh SQLite database in a temporary folder unless
DATABASE_URL is set, and prints its figures; the last line is key=value pairs.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import tracemalloc

import click

from .bench_analysis import analysis
from .bench_report import report
from .bench_submit import submit
from .common import setup_django


@click.group()
def bench() -> None:
    """Benchmarks: figures and their ratio to a floor measured in the same run."""


bench.add_command(submit)
bench.add_command(analysis)
bench.add_command(report)


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


@bench.command("diagnostic")
@click.option("--repeat", default=50, show_default=True, type=click.IntRange(5, 10_000))
def diagnostic(repeat: int) -> None:
    """Server time to render the diagnostic page of a review with all 74 items answered.

    Target: under 150 ms (median) on the SQLite default. The floor is the same
    client rendering the smallest page of the app (the health check).
    """
    os.environ.setdefault("ACSREVIEW_DATA_DIR", tempfile.mkdtemp(prefix="acsreview-bench-"))
    setup_django()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from acsreview.core.instrument import iter_questions
    from acsreview.web.accounts.models import User
    from acsreview.web.instruments import app_library
    from acsreview.web.reviews.models import Answer, Jurisdiction, Membership, Review, Role

    call_command("migrate", interactive=False, verbosity=0)
    setup_test_environment()
    jurisdiction, _ = Jurisdiction.objects.get_or_create(code="QZ", defaults={
        "name": "Benchmark land", "is_demo": True})
    review, _ = Review.objects.get_or_create(jurisdiction=jurisdiction, round=2099, defaults={
        "instrument_version": "1.0"})
    inst = app_library().get("acs-diagnostic", "1.0")
    Answer.objects.filter(review=review).delete()
    choices = ["yes", "partly", "no", "dont_know"]
    Answer.objects.bulk_create([
        Answer(review=review, item_id=q.id, version=1,
               answer="" if q.answer_type == "text" else choices[i % 4],
               text="Synthetic open answer." if q.answer_type == "text" else "",
               evidence="Synthetic evidence for the benchmark. " * 5,
               sources=[{"title": "Synthetic source", "url": "https://example.org", "year": 2024}],
               confidence="medium")
        for i, q in enumerate(iter_questions(inst))])
    user, _ = User.objects.get_or_create(email="bench@bench.acsreview.invalid")
    Membership.objects.get_or_create(user=user, jurisdiction=jurisdiction,
                                     defaults={"role": Role.LEAD})
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = f"/reviews/{review.slug}/diagnostic/all/"
    response = client.get(page)
    assert response.status_code == 200, response.status_code
    items = response.content.decode().count('class="item')
    for _ in range(5):  # warm caches: templates, instrument
        client.get(page)
        client.get("/healthz")
    page_times = _timed(lambda: client.get(page), repeat)
    # Memory separately: tracing allocations slows every call it watches.
    tracemalloc.start()
    client.get(page)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    floor_times = _timed(lambda: client.get("/healthz"), repeat)
    median = statistics.median(page_times)
    p95 = sorted(page_times)[int(0.95 * (len(page_times) - 1))]
    floor = statistics.median(floor_times)
    click.echo(f"diagnostic page with {items} items, {repeat} renders: median "
               f"{median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (target: under 150 ms)")
    click.echo(f"floor (health check): median {floor * 1000:.2f} ms")
    click.echo(f"seconds={median:.4f} p95_seconds={p95:.4f} floor_seconds={floor:.4f} "
               f"ratio={median / floor:.1f} items={items} peak_mb={peak / 1e6:.1f} "
               f"target_seconds=0.150 met={'yes' if median < 0.150 else 'no'}")
