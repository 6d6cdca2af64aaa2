"""In a real browser, under the strict Content Security Policy (no inline script or style, no
eval): the report draws its charts (vega's interpreter, not eval) with their tooltips, the
diagnostic autosaves and the survey works, and the browser reports no violation."""

import re
import threading

import pytest

from acsreview.web.consultations.models import Consultation, Link
from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo

from .browser import CHROMIUM_ARGS, chromium_path
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation, as the page's own event sees it and as the console reports it.
WATCH = """document.addEventListener('securitypolicyviolation', function (e) {
  (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI + ' '
    + e.sourceFile + ':' + e.lineNumber);
});"""


def in_browser(scenario):
    """``scenario(page)`` in a Chromium of its own, on a thread of its own: Playwright's sync
    API refuses to start a second time on a thread where another test module's browser
    fixture still runs. The database is for the test's own thread, before and after."""
    path = chromium_path()
    outcome = {}

    def work():
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    context.add_init_script(WATCH)
                    page = context.new_page()
                    page.set_default_timeout(20_000)
                    page.console = []
                    page.on("console", lambda m: page.console.append(m.text))
                    outcome["value"] = scenario(page)
                finally:
                    browser.close()
        except BaseException as exc:  # noqa: BLE001 - raised again on the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout=300)
    if "error" in outcome:
        raise outcome["error"]
    assert "value" in outcome, "the browser did not finish"
    return outcome["value"]


def violations(page) -> list[str]:
    seen = page.evaluate("window.__csp || []")
    return seen + [m for m in page.console if "Content Security Policy" in m]


def sign_in(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/reviews/$"))


def test_the_demo_report_draws_its_charts_and_tooltips_without_a_violation(live_server):
    login = load_demo()

    def scenario(page):
        sign_in(page, live_server.url, DEMO_LEAD_EMAIL, login.password)
        page.goto(f"{live_server.url}/reviews/XA-2026/report/")
        boxes = page.locator("[data-chart]")
        assert boxes.count() >= 2
        page.wait_for_function("() => [...document.querySelectorAll('[data-chart]')]"
                               ".every(b => b.querySelector('svg'))")
        assert page.locator("[data-chart] svg[role=img]").count() == boxes.count()
        page.locator("[data-chart] svg path[role=graphics-symbol]").first.hover(force=True)
        tooltip = page.locator("#vg-tooltip-element.visible")
        tooltip.wait_for()
        # placed through the style DOM (allowed), styled by report.css (no inline <style>)
        assert tooltip.evaluate("e => getComputedStyle(e).position") == "fixed"
        assert page.locator("style").count() == 0
        return violations(page)

    assert in_browser(scenario) == []


def test_the_diagnostic_autosaves_without_a_violation(live_server, cast):
    def scenario(page):
        sign_in(page, live_server.url, cast.xa_lead.email, PASSWORD)
        page.goto(f"{live_server.url}/reviews/{cast.xa_review.slug}/diagnostic/SYS-REG/")
        page.locator("#SYS-REG-01").get_by_label("Partly").check()
        page.locator("#state-SYS-REG-01").get_by_text("Saved at").wait_for()
        assert page.locator("style").count() == 0  # htmx added no indicator stylesheet
        return violations(page)

    assert in_browser(scenario) == []
    assert cast.xa_review.answers.get(item_id="SYS-REG-01").answer == "partly"


def test_the_survey_works_without_a_violation(live_server, cast):
    consultation = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    link = Link.objects.create(consultation=consultation, group="police")

    def scenario(page):
        page.goto(f"{live_server.url}/c/{link.token}/")
        page.get_by_role("button", name="Start the survey").click()
        page.wait_for_url(re.compile(r".*/p/1/$"))
        page.locator("input[type=radio][value=yes]").first.check()
        page.get_by_role("button", name=re.compile("Save and")).click()
        page.wait_for_url(re.compile(r".*/(p/2|review)/$"))
        return violations(page)

    assert in_browser(scenario) == []
    assert consultation.responses.get().answers.filter(answer="yes").count() == 1
