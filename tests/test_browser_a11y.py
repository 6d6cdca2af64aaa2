"""Every page type, in a real browser, meets WCAG 2.1 A and AA as axe-core checks it, in
English and in French; the keyboard reaches a skip link first and sees where its focus is;
and a form refused by the server ties each error to its field.

The page types come from the URL configuration: :data:`NOT_PAGES` names, with a reason,
each address that is no HTML page of its own (API, administration, downloads, posts that
redirect), and :func:`test_every_page_type_is_checked` fails when a new address is neither
there nor visited below, so a new page cannot skip these checks.

The demo (``load_demo``: reviews, consultations with responses, a plan, reports) is loaded
once and the pages visited once, by :func:`audit`; each test then judges one page type
from what that visit found. axe-core is vendored in tests/vendor/axe-core (README there).
"""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver

from .browser import chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' :: '
                       + (n.failureSummary || '').replace(/\\s+/g, ' '))}));
}"""

# Addresses that are no HTML page of their own, and why.
NOT_PAGES = {
    "healthz": "a plain-text health check",
    "instrument_questionnaire": "a PDF download",
    "logout": "a post that redirects",
    "set_language": "a post that redirects",
    "reviews:export_all": "a download",
    "reviews:export": "a download",
    "reviews:inventory_template": "a download",
    "reviews:report_pdf": "a PDF download",
    "reviews:status": "a post that redirects",
    "reviews:domain_item": "a redirect to the item on its domain page",
    "reviews:measure_confirm": "a post that redirects",
    "reviews:indicator_confirm": "a post that redirects",
    "reviews:decide": "a post that redirects to the plan",
    "consultations:qr": "an SVG image",
    "consultations:field_form": "an XLSForm download",
    "consultations:link_toggle": "a post that redirects",
    "consultations:adopt": "a post that redirects to the results",
}

# Report pages belong to the report templates (templates/reports, report.css): a violation
# there is listed here, by the label of its check, with the rule it breaks; the check is
# expected to fail (strictly: it must be taken off this list once fixed).
REPORT_VIOLATIONS: dict[str, str] = {}

# Pages visited again in French: their lang attributes and translated text.
IN_FRENCH = ["login", "reviews:list", "reviews:detail", "reviews:domain", "reviews:analysis",
             "survey:start", "survey:page"]

# Pages whose keyboard use is checked: the skip link first, then a visible focus on every stop.
BY_KEYBOARD = ["login", "reviews:list", "reviews:domain", "reviews:measure_new",
               "survey:page", "consultations:new"]
TAB_STOPS = 60

# Pages with wide tables, visited again on a phone's width (WCAG 1.4.10, reflow): a table
# that scrolls sideways there must be reachable by keyboard.
NARROW = ["reviews:inventory", "reviews:utilisation", "reviews:measure_stats",
          "reviews:indicators", "reviews:history", "reviews:analysis",
          "reviews:analysis_domain", "reviews:trends", "reviews:plan", "reviews:compare",
          "consultations:list", "consultations:results", "reviews:report",
          "reviews:compare_report"]

# The focus styles as they end, not half-way through Pico's transitions.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"
FOCUS_STYLE = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const NO_SHADOW = /^(rgba\\(0, 0, 0, 0\\) 0px 0px 0px 0px(, )?)+$/;  // transparent, no spread
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return {what: e.tagName.toLowerCase() + (e.type ? '[type=' + e.type + ']' : '')
                + (e.id ? '#' + e.id : '') + ' "' + (e.textContent || e.value || '').trim()
                  .slice(0, 30) + '"',
          style: 'outline ' + s.outlineStyle + ' ' + s.outlineWidth + ', box-shadow '
                 + s.boxShadow,
          body: e === document.body,
          visible: outline || (s.boxShadow !== 'none' && !NO_SHADOW.test(s.boxShadow))};
}"""

# Each field marked invalid, and whether what describes it (the field's own
# aria-describedby, or for a radio or checkbox that of its fieldset) holds an error message.
ERROR_LINKS = """() => [...document.querySelectorAll('[aria-invalid=true]')].map(e => {
  const owner = e.matches('[type=radio], [type=checkbox]') && !e.hasAttribute('aria-describedby')
                ? e.closest('fieldset') : e;
  const ids = ((owner && owner.getAttribute('aria-describedby')) || '').split(/\\s+/);
  const errors = ids.filter(Boolean).map(id => document.getElementById(id)).filter(d => d
    && (d.matches('.error, .errorlist') || d.querySelector('.error, .errorlist'))
    && d.textContent.trim());
  return {field: e.name || e.id, described: errors.length > 0};
})"""


@dataclass
class Audit:
    """What the visit found: axe violations by page type (and language), the keyboard's
    findings, the fields marked invalid on refused forms, and pages that could not load
    (or did not show what they were visited for)."""

    violations: dict[str, list] = field(default_factory=dict)
    keyboard: dict[str, list[str]] = field(default_factory=dict)
    invalid_fields: dict[str, list] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)


# -- the URL configuration ------------------------------------------------------------

def page_names() -> set[str]:
    """Every named address but the API's and the administration site's."""
    names = set()

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                walk(pattern, inner)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    return {n for n in names if not n.startswith(("api:", "admin:"))}


# -- the visit ------------------------------------------------------------------------

class Visitor:
    def __init__(self, browser, base: str, audit: Audit):
        self.browser, self.base, self.audit = browser, base, audit
        self.contexts = []

    def context(self, *, lang: str = "en", who=None):
        # bypass_csp: the app's policy allows only its own scripts (script-src 'self'), so
        # the test's axe-core could not be injected; the policy itself is proved by
        # tests/test_security_csp_browser.py, which keeps it on.
        context = self.browser.new_context(viewport={"width": 1280, "height": 900},
                                           bypass_csp=True, locale=lang)
        context.add_cookies([{"name": "django_language", "value": lang, "url": self.base}])
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        if who is not None:
            email, password = who
            page.goto(f"{self.base}/accounts/login/")
            page.fill("#id_username", email)
            page.fill("#id_password", password)
            page.click("main button[type=submit]")
            page.wait_for_url(re.compile(r".*/reviews/$"))
        return page

    def close(self):
        for context in self.contexts:
            context.close()

    def check(self, page, key: str, path: str | None = None, *, lang: str = "en",
              heading: str | None = None):
        """Open ``path`` (or stay where the page is) and run axe there, as ``key``;
        ``heading``: what its h1 says, to be sure it is the page meant."""
        label = key if lang == "en" else f"{key} [{lang}]"
        try:
            if path is not None:
                page.goto(self.base + path)
            page.wait_for_load_state("load")
            if heading is not None:
                assert heading in page.locator("h1").first.inner_text(), page.content()[:2000]
            if page.locator("[data-chart]").count():  # charts draw after the load
                page.wait_for_function("() => [...document.querySelectorAll('[data-chart]')]"
                                       ".every(b => b.querySelector('svg, img, table'))")
            page.add_script_tag(path=str(AXE))
            self.audit.violations[label] = page.evaluate(RUN_AXE, WCAG21_AA)
            self.audit.languages[label] = page.evaluate("document.documentElement.lang")
        except Exception:  # noqa: BLE001 - recorded, and failed in the page's own test
            self.audit.broken[label] = traceback.format_exc(limit=3)

    def refused(self, page, key: str, submit: str = "main form button[type=submit]"):
        """Submit the form as it stands (browser validation off) and check the refusal."""
        try:
            page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
            with page.expect_navigation():
                page.locator(submit).first.click()
            self.audit.invalid_fields[key] = page.evaluate(ERROR_LINKS)
        except Exception:  # noqa: BLE001
            self.audit.broken[key] = traceback.format_exc(limit=3)
            return
        self.check(page, key)

    def keyboard(self, page, key: str, path: str):
        """The first Tab stop is the skip link and it moves focus to main; every stop after
        it shows where the focus is."""
        found = []
        try:
            page.goto(self.base + path)
            page.add_style_tag(content=NO_TRANSITIONS)
            page.keyboard.press("Tab")
            if not page.evaluate("document.activeElement.classList.contains('skip-link')"):
                found.append("the first Tab stop is not the skip link: "
                             + page.evaluate(FOCUS_STYLE)["what"])
            page.keyboard.press("Enter")
            if page.evaluate("document.activeElement.id") != "main":
                found.append("the skip link does not move the focus to main")
            page.goto(self.base + path)
            page.add_style_tag(content=NO_TRANSITIONS)
            for _ in range(TAB_STOPS):
                page.keyboard.press("Tab")
                focus = page.evaluate(FOCUS_STYLE)
                if focus["body"]:
                    break
                if not focus["visible"]:
                    found.append(f"no visible focus on {focus['what']} ({focus['style']})")
        except Exception:  # noqa: BLE001
            found.append(traceback.format_exc(limit=3))
        self.audit.keyboard[key] = sorted(set(found))


def _world():
    """The demo, plus what some pages need: a closed consultation (to purge, and whose
    survey says it is closed), a reset link, and the addresses of things."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from acsreview.web.accounts.models import User
    from acsreview.web.consultations.models import Consultation, Link
    from acsreview.web.demo import DEMO_EMAIL, DEMO_LEAD_EMAIL, load_demo
    from acsreview.web.reviews.models import Review

    login = load_demo()
    xa = Review.objects.get(slug="XA-2026")
    Consultation.objects.filter(review=xa).update(languages=["en", "fr"])  # a survey in French
    xb_consultation = Consultation.objects.get(review__slug="XB-2026")
    Link.objects.filter(consultation=xb_consultation).update(is_open=False)
    viewer = User.objects.get(email="viewer.xb@demo.acsreview.invalid")
    return {
        "coordinator": (DEMO_EMAIL, login.password),
        "lead": (DEMO_LEAD_EMAIL, login.password),
        "contributor": ("contributor.xa@demo.acsreview.invalid", login.password),
        "review": xa.slug,
        "measure": xa.measures.order_by("pk").first().pk,
        "consultation": Consultation.objects.get(review=xa).public_id,
        "closed_consultation": xb_consultation.public_id,
        "links": dict(Link.objects.filter(consultation__review=xa)
                      .values_list("group", "token")),
        "closed_link": Link.objects.filter(consultation=xb_consultation).first().token,
        "reset": (urlsafe_base64_encode(force_bytes(viewer.pk)),
                  default_token_generator.make_token(viewer)),
    }


def _visit_public(v: Visitor, w: dict):
    page = v.context()
    v.check(page, "home", "/")
    v.check(page, "instrument", "/instrument/acs-diagnostic/1.0/")
    v.check(page, "login", "/accounts/login/")
    page.fill("#id_username", "nobody@example.org")
    page.fill("#id_password", "not the password")
    v.refused(page, "login (refused)")
    uid, token = w["reset"]
    v.check(page, "password_reset_confirm", f"/accounts/reset/{uid}/{token}/")
    page.fill("#id_new_password1", "a long enough passphrase 1")
    page.fill("#id_new_password2", "a different passphrase 2")
    v.refused(page, "password_reset_confirm (refused)")
    v.check(page, "password_reset_confirm (expired)", f"/accounts/reset/{uid}/expired-token/")
    v.check(page, "404", "/nothing-here/", heading="Not found")
    for _ in range(6):  # the failure limit is 5: then the lockout page
        page.goto(f"{v.base}/accounts/login/")
        page.fill("#id_username", "locked@example.org")
        page.fill("#id_password", "wrong")
        page.click("main button[type=submit]")
        if page.locator("h1", has_text="Too many failed sign-ins").count():
            break
    v.check(page, "login (locked out)", heading="Too many failed sign-ins")


def _visit_survey(v: Visitor, w: dict, settings):
    police = w["links"]["police"]
    page = v.context()
    v.check(page, "survey:start", f"/c/{police}/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/p/1/$"))
    v.check(page, "survey:page")
    # a value no option has: the server refuses it and says so at the question
    page.evaluate("""() => { const r = document.querySelector('input[type=radio]');
                             r.value = 'not-an-answer'; r.checked = true; }""")
    v.refused(page, "survey:page (refused)", "main form button[name=next]")
    v.check(page, "survey:review", f"/c/{police}/review/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    v.check(page, "survey:submit", heading="Thank you")
    v.check(page, "survey:start (closed)", f"/c/{w['closed_link']}/",
            heading="This survey is closed")
    fr = v.context(lang="fr")
    v.check(fr, "survey:start", f"/c/{w['links']['judges']}/", lang="fr")
    fr.locator("main form button[type=submit]").last.click()
    fr.wait_for_url(re.compile(r".*/p/1/$"))
    v.check(fr, "survey:page", lang="fr")
    v.keyboard(fr, "survey:page", fr.url.removeprefix(v.base))
    # a second start from the same address within the hour, with a limit of one: 429
    settings.ACSREVIEW_SURVEY_RATE = 1
    for _ in range(2):
        page = v.context()
        page.goto(f"{v.base}/c/{w['links']['health']}/")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state("load")
    v.check(page, "survey:start (too many)", heading="Please try again later")


def _visit_workspace(v: Visitor, w: dict):
    base = f"/reviews/{w['review']}"
    cons = f"{base}/consultation"
    page = v.context(who=w["coordinator"])
    pages = {
        "reviews:list": "/reviews/",
        "reviews:new": "/reviews/new/",
        "reviews:jurisdictions": "/reviews/jurisdictions/",
        "reviews:compare": "/reviews/compare/",
        "reviews:compare_report": "/reviews/compare/report/",
        "reviews:detail": f"{base}/",
        "reviews:history": f"{base}/history/",
        "reviews:members": f"{base}/members/",
        "reviews:diagnostic": f"{base}/diagnostic/",
        "reviews:principles": f"{base}/principles/",
        "reviews:correspondents": f"{base}/correspondents/",
        "reviews:inventory": f"{base}/inventory/",
        "reviews:utilisation": f"{base}/inventory/utilisation/",
        "reviews:measure_edit": f"{base}/inventory/measures/{w['measure']}/",
        "reviews:measure_stats": f"{base}/inventory/measures/{w['measure']}/statistics/",
        "reviews:measure_delete": f"{base}/inventory/measures/{w['measure']}/delete/",
        "reviews:indicators": f"{base}/inventory/indicators/",
        "reviews:analysis": f"{base}/analysis/",
        "reviews:analysis_domain": f"{base}/analysis/SYS-REG/",
        "reviews:trends": f"{base}/trends/",
        "reviews:plan": f"{base}/plan/",
        "reviews:report": f"{base}/report/",
        "consultations:list": f"{cons}/",
        "consultations:results": f"{cons}/results/",
        "consultations:purge": f"/reviews/XB-2026/consultation/{w['closed_consultation']}"
                               "/purge/",
        "consultations:purge (refused: open)": f"{cons}/{w['consultation']}/purge/",
    }
    for key, path in pages.items():
        v.check(page, key, path)
    page.set_viewport_size({"width": 360, "height": 800})
    for key in NARROW:
        v.check(page, f"{key} [narrow]", pages[key])
    page.set_viewport_size({"width": 1280, "height": 900})
    # the diagnostic, then again after an answer saved itself (the autosave's fragment)
    v.check(page, "reviews:domain", f"{base}/diagnostic/SYS-REG/")
    page.locator("#SYS-REG-03").get_by_label("Partly").check()
    page.locator("#state-SYS-REG-03").get_by_text("Saved at").wait_for()
    v.check(page, "reviews:save_answer")
    # forms the server refuses: every error tied to its field
    refusals = {
        "reviews:new": "/reviews/new/",
        "reviews:measure_new": f"{base}/inventory/measures/new/",
        "reviews:members": f"{base}/members/",
        "reviews:jurisdictions": "/reviews/jurisdictions/",
        "reviews:inventory_import": f"{base}/inventory/import/",
        "consultations:new": f"{cons}/new/",
        "consultations:field_import": f"{cons}/field/import/",
    }
    for key, path in refusals.items():
        if key not in pages:
            v.check(page, key, path)
        else:
            page.goto(v.base + path)
        page.evaluate("""() => document.querySelectorAll(
            'main form input[type=text], main form input[type=email], main form textarea,'
            + ' main form input[type=number]').forEach(e => { e.value = ''; })""")
        v.refused(page, f"{key} (refused)")
    for key in BY_KEYBOARD:
        if key.startswith(("reviews:", "consultations:")):
            path = {"reviews:list": "/reviews/", "reviews:domain": f"{base}/diagnostic/SYS-REG/",
                    "reviews:measure_new": f"{base}/inventory/measures/new/",
                    "consultations:new": f"{cons}/new/"}[key]
            v.keyboard(page, key, path)
    fr = v.context(lang="fr", who=w["lead"])
    for key in IN_FRENCH:
        if key.startswith("reviews:"):
            v.check(fr, key, {"reviews:list": "/reviews/", "reviews:detail": f"{base}/",
                              "reviews:domain": f"{base}/diagnostic/SYS-REG/",
                              "reviews:analysis": f"{base}/analysis/"}[key], lang="fr")
    contributor = v.context(who=w["contributor"])
    v.check(contributor, "403", f"{base}/members/", heading="Not allowed")
    v.check(contributor, "404 (a review without a role)", "/reviews/XB-2026/",
            heading="Not found")


@pytest.fixture(scope="module")
def audit(browser, live_server, django_db_setup, django_db_blocker):
    """Visit every page type once; the data is flushed by the first test's teardown (and
    here, should the visit itself fail)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command

    found = Audit()
    rate = settings.ACSREVIEW_SURVEY_RATE
    with django_db_blocker.unblock():
        try:
            w = _world()
            visitor = Visitor(browser, live_server.url, found)
            try:
                _visit_public(visitor, w)
                _visit_survey(visitor, w, settings)
                _visit_workspace(visitor, w)
                page = visitor.context(lang="fr")
                for key in ("login", "home"):
                    visitor.check(page, key, {"login": "/accounts/login/", "home": "/"}[key],
                                  lang="fr")
                visitor.keyboard(page, "login", "/accounts/login/")
            finally:
                settings.ACSREVIEW_SURVEY_RATE = rate
                cache.clear()
                visitor.close()
        except BaseException:
            call_command("flush", interactive=False, verbosity=0)
            raise
    return found


# -- the judgements -------------------------------------------------------------------

def _report(violations: list) -> str:
    return "\n".join(f"- {v['id']} ({v['impact']}): {v['help']}\n    "
                     + "\n    ".join(v["nodes"][:8]) for v in violations)


def _judge(audit: Audit, label: str):
    assert label not in audit.broken, f"{label} could not be visited:\n{audit.broken[label]}"
    assert label in audit.violations, f"{label} was not visited"
    found = audit.violations[label]
    assert not found, f"{label}: {len(found)} WCAG 2.1 A/AA violation(s)\n{_report(found)}"


def _cases(labels, suffix=""):
    """``labels`` as test parameters, those of :data:`REPORT_VIOLATIONS` expected to fail."""
    return [pytest.param(k, marks=pytest.mark.xfail(strict=True,
                                                    reason=REPORT_VIOLATIONS[k + suffix]))
            if k + suffix in REPORT_VIOLATIONS else k for k in labels]


# Every page type and state visited above, as labelled there.
EXPECTED_VISITS = [
    "home", "instrument", "login", "login (refused)", "login (locked out)",
    "password_reset_confirm", "password_reset_confirm (refused)",
    "password_reset_confirm (expired)", "403", "404", "404 (a review without a role)",
    "survey:start", "survey:page", "survey:page (refused)", "survey:review", "survey:submit",
    "survey:start (closed)", "survey:start (too many)",
    "reviews:list", "reviews:new", "reviews:new (refused)", "reviews:jurisdictions",
    "reviews:jurisdictions (refused)", "reviews:compare", "reviews:compare_report",
    "reviews:detail", "reviews:history", "reviews:members", "reviews:members (refused)",
    "reviews:diagnostic", "reviews:domain", "reviews:save_answer", "reviews:principles",
    "reviews:correspondents", "reviews:inventory", "reviews:utilisation",
    "reviews:measure_new", "reviews:measure_new (refused)", "reviews:measure_edit",
    "reviews:measure_stats", "reviews:measure_delete", "reviews:indicators",
    "reviews:inventory_import", "reviews:inventory_import (refused)", "reviews:analysis",
    "reviews:analysis_domain", "reviews:trends", "reviews:plan", "reviews:report",
    "consultations:list", "consultations:new", "consultations:new (refused)",
    "consultations:field_import", "consultations:field_import (refused)",
    "consultations:results", "consultations:purge", "consultations:purge (refused: open)",
]


def test_every_page_type_is_checked():
    names = page_names()
    visited = {k.split(" ")[0] for k in EXPECTED_VISITS}
    unchecked = sorted(names - visited - set(NOT_PAGES))
    assert not unchecked, ("pages without an accessibility check (visit them in "
                           f"tests/test_browser_a11y.py, or say in NOT_PAGES why not): {unchecked}")
    stale = sorted((visited | set(NOT_PAGES)) - names - {"403", "404"})
    assert not stale, f"names the URL configuration no longer has: {stale}"


@pytest.mark.parametrize("label", _cases(EXPECTED_VISITS))
def test_the_page_has_no_wcag_violation(audit, label):
    _judge(audit, label)


@pytest.mark.parametrize("key", IN_FRENCH + ["home"])
def test_the_page_in_french_has_no_wcag_violation_and_says_it_is_french(audit, key):
    label = f"{key} [fr]"
    _judge(audit, label)
    assert audit.languages[label] == "fr"


@pytest.mark.parametrize("key", _cases(NARROW, " [narrow]"))
def test_the_page_on_a_phone_has_no_wcag_violation(audit, key):
    _judge(audit, f"{key} [narrow]")


@pytest.mark.parametrize("key", sorted(set(BY_KEYBOARD)))
def test_the_keyboard_reaches_the_skip_link_first_and_always_sees_its_focus(audit, key):
    assert key in audit.keyboard, f"{key}: no keyboard check ran"
    assert audit.keyboard[key] == [], f"{key}:\n" + "\n".join(audit.keyboard[key])


@pytest.mark.parametrize("label", sorted(k for k in EXPECTED_VISITS if k.endswith("(refused)")))
def test_a_refused_form_ties_each_error_to_its_field(audit, label):
    assert label not in audit.broken, audit.broken[label]
    marked = audit.invalid_fields.get(label)
    assert marked, f"{label}: no field is marked aria-invalid"
    undescribed = [m["field"] for m in marked if not m["described"]]
    assert not undescribed, f"{label}: invalid fields without a described error: {undescribed}"


def test_the_browser_is_there():
    chromium_path()  # skips locally without Chromium, fails in CI
