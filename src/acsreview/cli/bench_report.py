"""`acsreview bench report`: the country PDF and a 30-jurisdiction comparative PDF.

Runs on a fresh SQLite database in a temporary folder (unless DATABASE_URL is set)
holding the demo (whose XA-2026 has an inventory, a consultation, an action plan
and a previous round to follow up) and, for the comparison, synthetic fictional
jurisdictions (ISO 3166 user-assigned codes) up to the number asked for, all in
round 2026, each with a complete diagnostic and an inventory.

The floor of each is rendering the same report's HTML without charts and without
the PDF (issue 6). Targets: country PDF at most 3 s, comparative PDF at most 15 s.
The first render of each (fonts and templates loading) is printed apart; the
figures compared with the targets are medians of the renders after it.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import tempfile
import time

import click

from .common import setup_django

ROUND = 2026
CODES = [f"X{chr(c)}" for c in range(ord("D"), ord("Z") + 1)] + [
    "QM", "QN", "QP", "QQ", "QR", "QS", "QT", "QU"]


def _timed(fn, repeat: int) -> tuple[float, list[float], list[float]]:
    """The first run's seconds, then each later run's seconds and processor seconds (of
    every thread: a PDF's charts are drawn beside its layout)."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return first, times, cpu


def _synthetic(inst, count: int) -> None:
    """``count`` fictional jurisdictions with a full 2026 review each (seeded)."""
    from acsreview.core.instrument import AnswerType, iter_questions
    from acsreview.web.reviews.models import (
        Answer,
        ContextIndicator,
        Jurisdiction,
        Measure,
        MeasureStat,
        Review,
    )

    stages = [s.id for s in inst.cjs_stages]
    types = [t.id for t in inst.measure_types]
    for code in CODES[:count]:
        rng = random.Random(f"acsreview-bench-report:{code}")  # noqa: S311 - synthetic data
        j, _ = Jurisdiction.objects.get_or_create(
            code=code, defaults={"name": f"Benchland {code}", "is_demo": True})
        review, created = Review.objects.get_or_create(
            jurisdiction=j, round=ROUND,
            defaults={"instrument_id": inst.id, "instrument_version": inst.version})
        if not created:
            continue
        strength = rng.random()
        Answer.objects.bulk_create([
            Answer(review=review, item_id=q.id, version=1,
                   answer="" if q.answer_type == AnswerType.TEXT else rng.choices(
                       ["yes", "partly", "no", "dont_know"],
                       [strength, 0.3, 1 - strength, 0.1])[0],
                   text="Synthetic open answer." if q.answer_type == AnswerType.TEXT else "",
                   evidence="Synthetic evidence for the benchmark.", confidence="medium")
            for q in iter_questions(inst)])
        measures = Measure.objects.bulk_create([
            Measure(review=review, name=f"Measure {i + 1} of {code}",
                    measure_type=rng.choice(types), stage=rng.choice(stages),
                    legal_basis="Synthetic act, s. 1") for i in range(5)])
        MeasureStat.objects.bulk_create([
            MeasureStat(measure=m, year=year, eligible=(e := rng.randint(100, 2000)),
                        referred=(r := rng.randint(10, e)), started=rng.randint(0, r),
                        completed=None if rng.random() < 0.2 else rng.randint(0, r // 2))
            for m in measures for year in (2022, 2023, 2024, 2025)])
        ContextIndicator.objects.bulk_create([
            ContextIndicator(review=review, year=year, indicator="drug_law_offences",
                             value=rng.randint(5000, 50000), source="Synthetic")
            for year in (2022, 2023, 2024, 2025)])


@click.command("report")
@click.option("--jurisdictions", default=30, show_default=True, type=click.IntRange(3, 34),
              help="Jurisdictions in the comparative report (the demo's three and more).")
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(1, 50))
@click.option("--lang", default="en", show_default=True)
def report(jurisdictions: int, repeat: int, lang: str) -> None:
    """Country and comparative PDFs against rendering their HTML without charts or PDF."""
    os.environ.setdefault("ACSREVIEW_DATA_DIR", tempfile.mkdtemp(prefix="acsreview-bench-"))
    setup_django()
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from django.utils import translation

    from acsreview.reports import comparative, country
    from acsreview.web.demo import load_demo
    from acsreview.web.instruments import app_library
    from acsreview.web.reviews.models import Review

    call_command("migrate", interactive=False, verbosity=0)
    click.echo("loading the demo and synthetic jurisdictions...")
    load_demo()
    inst = app_library().get("acs-diagnostic", "1.0")
    _synthetic(inst, jurisdictions - 3)
    xa = Review.objects.select_related("jurisdiction").get(slug=f"XA-{ROUND}")
    reviews = list(Review.objects.select_related("jurisdiction").filter(round=ROUND)
                   .order_by("jurisdiction__code")[:jurisdictions])

    def country_floor():
        with translation.override(lang):
            render_to_string(country.TEMPLATE, country.country_context(
                xa, lang=lang, pdf=True, charts=False))

    pdf_bytes = {}

    def country_pdf():
        pdf_bytes["country"] = country.country_pdf(xa, lang=lang)

    def compare_floor():
        comparative.render_comparative(reviews, round=ROUND, lang=lang, pdf=True,
                                       charts=False)

    def compare_pdf():
        pdf_bytes["compare"] = comparative.comparative_pdf(reviews, round=ROUND, lang=lang)

    first_c, times_c, cpu_c = _timed(country_pdf, repeat)
    _f, floors_c, _cpu = _timed(country_floor, repeat)
    first_k, times_k, cpu_k = _timed(compare_pdf, repeat)
    _f, floors_k, _cpu = _timed(compare_floor, repeat)
    c, fc = statistics.median(times_c), statistics.median(floors_c)
    k, fk = statistics.median(times_k), statistics.median(floors_k)
    cc, ck = statistics.median(cpu_c), statistics.median(cpu_k)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    met = c <= 3 and k <= 15
    click.echo(f"country PDF of {xa.slug} ({len(pdf_bytes['country']):,} bytes): median "
               f"{c:.2f} s over {repeat} (first {first_c:.2f} s; processor {cc:.2f} s); "
               f"floor {fc:.3f} s; "
               f"target: at most 3 s")
    click.echo(f"comparative PDF of {len(reviews)} jurisdictions "
               f"({len(pdf_bytes['compare']):,} bytes): median {k:.2f} s (first "
               f"{first_k:.2f} s; processor {ck:.2f} s); floor {fk:.3f} s; "
               f"target: at most 15 s")
    click.echo(f"seconds={c:.3f} cpu_seconds={cc:.3f} floor_seconds={fc:.3f} "
               f"ratio={c / fc:.1f} compare_seconds={k:.3f} compare_cpu_seconds={ck:.3f} "
               f"compare_floor_seconds={fk:.3f} "
               f"compare_ratio={k / fk:.1f} jurisdictions={len(reviews)} "
               f"peak_mb={peak_mb:.0f} met={'yes' if met else 'no'}")
