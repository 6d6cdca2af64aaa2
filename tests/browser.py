"""Playwright with Debian's Chromium (never `playwright install`: it cannot download here).

Locally a missing Chromium skips the browser tests; in CI (CI=true) it fails them.
"""

import os
import shutil

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: .ci/run must install it (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


def signed_in_page(browser, base_url: str, email: str, password: str):
    """A new browser context and page, signed in as ``email`` (lands on the reviews list).
    Close the context when done."""
    import re

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/reviews/$"))
    return context, page
