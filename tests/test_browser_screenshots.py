"""The user guide's screenshots, taken from the running demo by a real browser.

Every run takes them (so a page that no longer shows what the guide says fails here); with
``ACSREVIEW_UPDATE_SCREENSHOTS=1`` they are also written to docs/images/, to be committed:

    ACSREVIEW_UPDATE_SCREENSHOTS=1 .venv/bin/pytest tests/test_browser_screenshots.py

The guide shows every one of them, and nothing else from docs/images/.
"""

import os
import re
import shutil

import pytest

from .browser import signed_in_page
from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IMAGES = ROOT / "docs" / "images"
GUIDE = ROOT / "docs" / "user-guide.md"

# name -> (who, path under the demo's XA-2026 review or absolute, what its heading says)
SHOTS = {
    "reviews": ("coordinator", "/reviews/", "Reviews"),
    "diagnostic": ("lead", "diagnostic/SYS-REG/", "National regulatory frameworks"),
    "inventory": ("lead", "inventory/", "ACS inventory"),
    "consultation-results": ("lead", "consultation/results/", "Consultation results"),
    "analysis": ("lead", "analysis/", "Analysis: the barrier profile"),
    "action-plan": ("lead", "plan/", "Action plan"),
    "report": ("lead", "report/", "Xandria 2026: review of alternatives"),
    "compare": ("coordinator", "/reviews/compare/", "Compare jurisdictions"),
}
SURVEY = "survey-phone"


def referenced() -> set[str]:
    return set(re.findall(r"\(images/([a-z-]+)\.png\)", GUIDE.read_text(encoding="utf-8")))


def test_the_guide_shows_every_screenshot_and_only_those():
    assert referenced() == {*SHOTS, SURVEY}
    assert {p.stem for p in IMAGES.glob("*.png")} == {*SHOTS, SURVEY}


def test_the_screenshots_are_taken_from_the_demo(browser, live_server, tmp_path):
    from acsreview.web.consultations.models import Link
    from acsreview.web.demo import DEMO_EMAIL, DEMO_LEAD_EMAIL, load_demo

    login = load_demo()
    people = {"coordinator": DEMO_EMAIL, "lead": DEMO_LEAD_EMAIL}
    taken = {}
    for name, (who, path, shows) in SHOTS.items():
        context, page = signed_in_page(browser, live_server.url, people[who], login.password)
        try:
            url = path if path.startswith("/") else f"/reviews/XA-2026/{path}"
            page.goto(live_server.url + url)
            page.wait_for_load_state("load")
            if page.locator("[data-chart]").count():  # charts draw after the load
                page.wait_for_function("() => [...document.querySelectorAll('[data-chart]')]"
                                       ".every(b => b.querySelector('svg, img, table'))")
            heading = page.locator("main h1").first.inner_text()
            assert shows in heading, (name, heading)
            taken[name] = page.screenshot(path=tmp_path / f"{name}.png")
        finally:
            context.close()

    token = Link.objects.filter(consultation__review__slug="XA-2026", group="police",
                                is_open=True).values_list("token", flat=True).first()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = phone.new_page()
        page.goto(f"{live_server.url}/c/{token}/")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(re.compile(r".*/p/1/$"))
        taken[SURVEY] = page.screenshot(path=tmp_path / f"{SURVEY}.png")
    finally:
        phone.close()

    for name, png in taken.items():
        assert png.startswith(b"\x89PNG") and len(png) > 10_000, name
    if os.environ.get("ACSREVIEW_UPDATE_SCREENSHOTS") == "1":
        IMAGES.mkdir(exist_ok=True)
        for name in taken:
            shutil.copyfile(tmp_path / f"{name}.png", IMAGES / f"{name}.png")
