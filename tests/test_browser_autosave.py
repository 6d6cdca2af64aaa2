"""In a real browser: answers save as you go, show their saved state, survive a reload, and
leaving a page with an unsaved change asks first."""

import os

import pytest

from .browser import signed_in_page
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(browser, live_server, cast):
    context, page = signed_in_page(browser, live_server.url, cast.xa_lead.email, PASSWORD)
    yield page
    context.close()


def test_an_answer_autosaves_and_survives_a_reload(page, live_server, cast):
    page.goto(f"{live_server.url}/reviews/{cast.xa_review.slug}/diagnostic/SYS-REG/")
    item = page.locator("#SYS-REG-01")
    item.get_by_label("Partly").check()
    state = page.locator("#state-SYS-REG-01")
    state.get_by_text("Saved at").wait_for()
    item.locator("summary").click()
    item.get_by_label("Evidence").fill("The act of 2011 allows diversion by prosecutors.")
    page.wait_for_function(
        "() => document.querySelector('#version-SYS-REG-01').value === '2'")
    assert page.locator("#severity-SYS-REG-01").inner_text().startswith("Severity: 1")

    page.reload()
    item = page.locator("#SYS-REG-01")
    assert item.get_by_label("Partly").is_checked()
    assert "diversion by prosecutors" in item.get_by_label("Evidence").input_value()
    answer = cast.xa_review.answers.get(item_id="SYS-REG-01")
    assert (answer.answer, answer.version) == ("partly", 2)


def test_leaving_with_an_unsaved_change_asks_first(page, live_server, cast):
    page.goto(f"{live_server.url}/reviews/{cast.xa_review.slug}/diagnostic/SYS-REG/")
    item = page.locator("#SYS-REG-02")
    item.locator("summary").click()
    item.get_by_label("Notes").type("half-written note")  # autosave waits 1.5 s
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_a_link_typed_without_https_is_saved_and_a_wrong_one_says_not_saved(page, live_server,
                                                                              cast):
    """The browser's own check of a link field must not stop the autosave silently (the
    state line then still said "Saved at" from the last save): the server checks, and
    either saves the link, with https:// added, or says why not."""
    page.goto(f"{live_server.url}/reviews/{cast.xa_review.slug}/diagnostic/SYS-REG/")
    item = page.locator("#SYS-REG-03")
    item.get_by_label("Yes", exact=True).check()
    state = page.locator("#state-SYS-REG-03")
    state.get_by_text("Saved at").wait_for()
    item.locator("summary").click()
    item.locator("input[name=source_0_title]").fill("Guidance doc (test)")
    item.locator("input[name=source_0_url]").fill("www.example.org/guidance")
    page.wait_for_timeout(2000)  # the autosave's pause after typing (1.5 s)
    page.wait_for_function(
        "() => document.querySelector('#state-SYS-REG-03').innerText.includes('Saved at')")
    answer = cast.xa_review.answers.get(item_id="SYS-REG-03")
    assert answer.sources[0]["url"] == "https://www.example.org/guidance"
    item.locator("input[name=source_0_url]").fill("not a link")
    state.get_by_text("Not saved").wait_for()
    assert "Enter a full web address" in state.inner_text()
