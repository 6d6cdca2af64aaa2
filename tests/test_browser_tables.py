"""A table wider than the screen says that it scrolls sideways (static/acsreview/tables.js)."""

import os

import pytest
from django.urls import reverse

from .browser import signed_in_page
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HINT = ".scroll-hint"


def test_a_wide_table_says_it_scrolls_and_a_table_that_fits_does_not(browser, live_server,
                                                                       cast):
    from acsreview.web.reviews.models import Answer

    Answer.objects.create(review=cast.xa_review, item_id="SYS-REG-01", answer="no",
                          version=1)
    context, page = signed_in_page(browser, live_server.url, cast.xa_lead.email, PASSWORD)
    try:
        page.goto(live_server.url + reverse("reviews:plan", args=[cast.xa_review.slug]))
        boxes = page.locator(".table-scroll")
        assert boxes.count() >= 2
        assert page.locator(HINT).count() == 0  # at 1280 px every table fits
        page.set_viewport_size({"width": 420, "height": 900})
        page.wait_for_function("() => document.querySelectorAll('.scroll-hint').length > 0")
        hint = page.locator(HINT).first
        assert hint.is_visible()
        assert "wider than the page: scroll it sideways" in hint.inner_text()
        # the hint sits just above its box, and only above boxes that overflow
        wide = page.evaluate("""() => [...document.querySelectorAll('.table-scroll')]
            .map(b => [b.scrollWidth > b.clientWidth + 1,
                       !!(b.previousElementSibling
                          && b.previousElementSibling.classList.contains('scroll-hint'))])""")
        assert wide and all(overflows == hinted for overflows, hinted in wide)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_function("() => document.querySelectorAll('.scroll-hint').length === 0")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_inventory_never_widens_the_page_itself(browser, live_server, cast, lang):
    """Only a table's own box scrolls: the words hidden for screen readers in its cells
    (e.g. "not known", "of “…”") once pushed the whole page sideways, most in German."""
    from acsreview.web.reviews.models import Measure, MeasureStat

    for i, stage in enumerate(["police", "prosecution", "court_pretrial"]):
        measure = Measure.objects.create(
            review=cast.xa_review, name=f"A measure with a rather long name number {i}",
            measure_type="drug_treatment_order", stage=stage, geographic_scope="National")
        MeasureStat.objects.create(measure=measure, year=2025, eligible=4000, referred=1800,
                                   started=1300)
    context, page = signed_in_page(browser, live_server.url, cast.xa_lead.email, PASSWORD)
    try:
        context.add_cookies([{"name": "django_language", "value": lang,
                              "url": live_server.url}])
        page.goto(live_server.url + reverse("reviews:inventory", args=[cast.xa_review.slug]))
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator(".table-scroll table").count() >= 3
        widths = page.evaluate("() => [document.documentElement.scrollWidth,"
                               " document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
    finally:
        context.close()


def test_the_german_report_keeps_long_labels_and_addresses_in_their_columns(browser,
                                                                            live_server):
    """The correspondents' answers in German: long labels wrap in their column, a long web
    address wraps in its cell; nothing runs out of the page's box."""
    from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo

    login = load_demo()
    context, page = signed_in_page(browser, live_server.url, DEMO_LEAD_EMAIL, login.password)
    try:
        context.add_cookies([{"name": "django_language", "value": "de",
                              "url": live_server.url}])
        page.goto(live_server.url + reverse("reviews:report", args=["XA-2026"]))
        lists = page.locator("section[aria-labelledby='correspondents'] dl.facts")
        assert lists.count() >= 3
        overflowing = page.evaluate("""() => [...document.querySelectorAll('dl.facts')]
            .filter(d => d.scrollWidth > d.clientWidth + 1
                         || d.getBoundingClientRect().right
                            > document.querySelector('main').getBoundingClientRect().right + 1)
            .map(d => d.textContent.slice(0, 60))""")
        assert overflowing == []
    finally:
        context.close()
