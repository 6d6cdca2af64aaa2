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
