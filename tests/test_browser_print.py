"""Printing a page from the browser: the content on white, without navigation, buttons or the
language switcher, every folded section open, and the demo banner kept."""

import os

import pytest

from .browser import signed_in_page
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(browser, live_server, cast, settings):
    settings.ACSREVIEW_DEMO = True
    context, page = signed_in_page(browser, live_server.url, cast.xa_lead.email, PASSWORD)
    yield page
    context.close()


def shown(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate(
        "e => getComputedStyle(e).display !== 'none'")


def test_a_printed_page_keeps_the_content_and_drops_the_controls(page, live_server, cast):
    page.goto(f"{live_server.url}/reviews/{cast.xa_review.slug}/diagnostic/SYS-REG/")
    on_screen = {s: shown(page, s) for s in (".site-header nav", ".language-switcher",
                                             ".demo-banner", "main h1")}
    assert all(on_screen.values()), on_screen

    page.emulate_media(media="print")
    assert not shown(page, ".site-header nav")
    assert not shown(page, ".language-switcher")
    assert not shown(page, "main form button")
    assert shown(page, ".demo-banner"), "a printed demo page must still say it is a demo"
    assert shown(page, "main h1")
    assert page.locator("body").evaluate("e => getComputedStyle(e).backgroundColor") in (
        "rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")

    folded = page.locator("main details:not([open])").count()
    assert folded > 0
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("main details:not([open])").count() == 0
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("main details:not([open])").count() == folded

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
