"""A review from start to report in a real browser, through the pages alone.

One story, step by step: a lead signs in, starts a review, adds a measure to the inventory,
answers a domain and opens a consultation; a respondent completes the survey on a
phone-sized screen with the keyboard alone; the lead reads the results, accepts actions,
downloads the PDF report, and switches the interface to French, which follows them when
they sign in again on another browser.
"""

import io
import os
import re

import pytest
from pypdf import PdfReader

from acsreview.core.instrument import AnswerType
from acsreview.core.instrument.select import field_name
from acsreview.web.consultations.models import Consultation, Link, Response
from acsreview.web.consultations.services import responses as survey_service
from acsreview.web.reviews.models import ActionItem, Answer, Measure, Review

from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SLUG = "XA-2027"
GROUP = "participants"  # the shortest survey: 30 questions on 5 pages
THRESHOLD = 3  # the lowest the app allows: the story then needs two more responses
LEAD_ANSWERS = {"SYS-SOC-01": "No", "SYS-SOC-02": "Partly", "SYS-SOC-03": "Yes",
                "SYS-SOC-04": "No"}
OPEN_ANSWER = "Local newspapers report on treatment orders with sympathy (test)."


def new_page(browser, **context):
    context = browser.new_context(**context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/reviews/$"))


def main_text(page) -> str:
    return re.sub(r"\s+", " ", page.locator("main").inner_text())


# -- the lead prepares the review ------------------------------------------------------

def start_review(page):
    page.get_by_role("button", name="Start a review").click()
    page.get_by_label("Jurisdiction").select_option(label="Fictional XA (XA)")
    page.get_by_label("Round (year)").fill("2027")
    page.get_by_role("button", name="Start the review").click()
    page.wait_for_url(re.compile(rf".*/reviews/{SLUG}/$"))
    assert "Review XA-2027 started." in main_text(page)
    assert page.get_by_role("heading", level=1).inner_text() == f"Review {SLUG}"


def add_measure(page):
    page.get_by_role("navigation", name="Review").get_by_role("link", name="Inventory").click()
    page.get_by_role("button", name="Add a measure").click()
    page.get_by_label("Name").fill("Treatment instead of prosecution (test)")
    page.get_by_label("Type").select_option("drug_treatment_order")
    page.get_by_label("CJS stage").select_option("prosecution")
    page.get_by_label("Geographic scope").fill("Two pilot regions")
    page.get_by_role("button", name="Add the measure").click()
    page.wait_for_url(re.compile(rf".*/reviews/{SLUG}/inventory/#measure-\d+$"))
    assert "Measure “Treatment instead of prosecution (test)” added." in main_text(page)


def answer_domain(page):
    page.get_by_role("navigation", name="Review").get_by_role("link", name="Diagnostic").click()
    page.get_by_role("navigation", name="Domains").get_by_role(
        "link", name="Societal influences").click()
    page.wait_for_url(re.compile(rf".*/reviews/{SLUG}/diagnostic/SYS-SOC/$"))
    for item, label in LEAD_ANSWERS.items():
        page.locator(f"#{item}").get_by_label(label, exact=True).check()
        page.locator(f"#state-{item}").get_by_text("Saved at").wait_for()
    item = page.locator("#SYS-SOC-05")
    item.locator("textarea[name=text]").fill(OPEN_ANSWER)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    item.get_by_role("button").click()  # the Save button: at once, not after a pause
    page.wait_for_url(re.compile(r".*#SYS-SOC-05$"))
    assert dialogs == []  # saving is not leaving: no "leave without saving?" question
    assert "Saved." in main_text(page)
    assert page.locator("#severity-SYS-SOC-01").inner_text().startswith("Severity: 2")


def open_consultation(page) -> str:
    """Opens a consultation for one group; returns the group's survey address."""
    nav = page.get_by_role("navigation", name="Review")
    nav.get_by_role("link", name="Consultation").click()
    page.get_by_role("button", name="Open a consultation").click()
    page.get_by_label("Title").fill("Spring round (test)")
    groups = page.get_by_role("group", name="Stakeholder groups")
    for box in groups.get_by_role("checkbox").all():
        box.set_checked(box.get_attribute("value") == GROUP)
    page.get_by_label("Suppression threshold").fill(str(THRESHOLD))
    page.get_by_role("button", name="Open the consultation").click()
    page.wait_for_url(re.compile(rf".*/reviews/{SLUG}/consultation/$"))
    row = page.locator("tbody tr").filter(has_text="Participants")
    assert "Open" in row.inner_text()
    return row.get_by_role("link").first.get_attribute("href")


# -- the respondent, on a phone, with the keyboard alone -------------------------------

FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "",
          text: (e.innerText || "").trim()};
}"""


def tab_to(page, wanted, limit=60) -> dict:
    """Press Tab until the focused element satisfies ``wanted``; returns it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached by Tab in {limit} presses")


def fits_the_screen(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def answer_page_by_keyboard(page, button_text) -> int:
    """Answers every question of the survey page with the keyboard, then presses the
    button; returns how many questions were answered."""
    names = set(page.locator("main form .question").evaluate_all(
        "els => els.map(e => e.id.slice(2))"))  # id="q-<field name>"
    assert names
    done = set()
    while done != names:
        focused = tab_to(page, lambda f: f["name"] in names - done)
        if focused["type"] == "radio":
            # Tab enters a group on its first answer, "Yes", unchecked; each arrow moves on
            # and checks: "Partly" for a page's 1st, 3rd... question, "No" for the others.
            page.keyboard.press("ArrowDown")
            if len(done) % 2:
                page.keyboard.press("ArrowDown")
        else:
            page.keyboard.type("Keyboard answer (test)")
        done.add(focused["name"])
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == button_text)
    page.keyboard.press("Enter")
    return len(done)


def respond_by_keyboard(page, survey_url, total_pages):
    page.goto(survey_url)
    assert fits_the_screen(page)
    tab_to(page, lambda f: f["text"] == "Start the survey")
    page.keyboard.press("Enter")
    answered = 0
    for number in range(1, total_pages + 1):
        page.wait_for_url(re.compile(rf".*/p/{number}/$"))
        assert f"Page {number} of {total_pages}" in main_text(page)
        assert fits_the_screen(page)
        last = number == total_pages
        answered += answer_page_by_keyboard(
            page, "Save and review my answers" if last else "Save and continue")
    page.wait_for_url(re.compile(r".*/review/$"))
    assert f"You answered {answered} of {answered} questions." in main_text(page)
    assert fits_the_screen(page)
    tab_to(page, lambda f: f["text"] == "Submit my answers")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Thank you").wait_for()
    return answered


def two_more_responses(link):
    """Two responses made by the app's own services, not the browser: with the one typed
    in, the group reaches the suppression threshold and its figures are shown apart."""
    survey = survey_service.survey_of(link, "en")
    for answer in ["no", "partly"]:
        response, _key = survey_service.start_response(link, "en")
        for p in survey.pages:
            errors, _raw = survey_service.save_page(response, p.questions, _fields(p, answer))
            assert not errors, errors
        assert survey_service.submit(link, response) is None


def _fields(page, answer):
    return {field_name(q.id): ("Other answer (test)" if q.answer_type == AnswerType.TEXT
                               else answer) for q in page.questions}


# -- the lead again: results, actions, report, language --------------------------------

def read_results(page):
    page.get_by_role("navigation", name="Review").get_by_role("link", name="Consultation").click()
    page.get_by_role("link", name="Results by question and group").click()
    page.get_by_role("heading", level=1, name="Consultation results").wait_for()
    page.locator("#domain-SYS-SOC > details > summary").click()  # folded: no disagreement
    question = page.locator("#SYS-SOC-01")
    facts = re.sub(r"\s+", " ", question.locator("dl").inner_text())
    assert "The lead's answer No · severity 2" in facts, facts
    assert "3 answers" in facts, facts
    table = question.get_by_role("table", name="Answers to SYS-SOC-01 by stakeholder group")
    row = table.locator("tbody tr").filter(has_text="Participants")
    assert row.locator("td").first.inner_text() == "3"  # shown for the group itself
    assert "withheld" not in table.inner_text()


def accept_actions(page, count=2) -> list[str]:
    page.get_by_role("navigation", name="Review").get_by_role("link", name="Action plan").click()
    forms = page.get_by_role("form", name="Decision on the recommendation")
    assert forms.count() >= count
    for done in range(1, count + 1):
        form = forms.first  # a decided recommendation folds its form away
        form.get_by_label("Accepted", exact=True).check()
        form.get_by_label("Owner").fill("Ministry of Justice (test)")
        form.get_by_role("button", name="Save the decision").click()
        page.get_by_text(re.compile(rf"; {done} decided\.")).wait_for()
    table = page.get_by_role("table", name="The recommendations, highest weight first")
    return table.locator("tbody tr td:last-child").all_inner_texts()


def download_report(page) -> bytes:
    page.get_by_role("navigation", name="Review").get_by_role("link", name="Report").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == f"{SLUG}-report-en.pdf"
    with open(download.path(), "rb") as f:
        return f.read()


def switch_language(page, label):
    footer = page.locator("footer")
    footer.get_by_label("Language", exact=True).select_option(label=label)
    footer.get_by_role("button").click()


# -- the story -------------------------------------------------------------------------

def test_a_review_from_start_to_report(browser, live_server, cast):
    base = live_server.url
    lead = new_page(browser, viewport={"width": 1280, "height": 900})

    # 1. The lead signs in, starts a review, adds a measure, answers a domain.
    sign_in(lead, base, cast.xa_lead)
    start_review(lead)
    review = Review.objects.get(jurisdiction=cast.xa, round=2027)
    add_measure(lead)
    measure = Measure.objects.get(review=review)
    assert (measure.measure_type, measure.stage) == ("drug_treatment_order", "prosecution")
    answer_domain(lead)
    stored = dict(Answer.objects.filter(review=review).values_list("item_id", "answer"))
    assert stored == {item: label.lower() for item, label in LEAD_ANSWERS.items()} | {
        "SYS-SOC-05": ""}
    assert Answer.objects.get(review=review, item_id="SYS-SOC-05").text == OPEN_ANSWER

    # 2. ... and opens a consultation for one group.
    survey_url = open_consultation(lead)
    consultation = Consultation.objects.get(review=review)
    assert (consultation.threshold, consultation.title) == (THRESHOLD, "Spring round (test)")
    link = Link.objects.get(consultation=consultation)
    assert link.group == GROUP and survey_url.endswith(f"/c/{link.token}/")

    # 3. A respondent answers on a phone, with the keyboard alone.
    phone = new_page(browser, viewport={"width": 375, "height": 667}, is_mobile=True)
    pages = len(survey_service.survey_of(link, "en").pages)
    answered = respond_by_keyboard(phone, survey_url, pages)
    response = Response.objects.get(consultation=consultation)
    assert response.submitted_at is not None and response.group == GROUP
    assert response.answers.count() == answered == 30
    assert response.answers.get(item_id="SYS-SOC-01").answer == "partly"
    assert response.answers.get(item_id="SYS-SOC-02").answer == "no"
    phone.context.close()

    # 4. Two more respond (by the app's services): the group reaches the threshold.
    two_more_responses(link)
    assert Response.objects.filter(consultation=consultation,
                                   submitted_at__isnull=False).count() == THRESHOLD

    # 5. The lead sees the group's results, accepts two actions, downloads the report.
    read_results(lead)
    decisions = accept_actions(lead)
    assert decisions[:2] == ["Accepted", "Accepted"]
    accepted = ActionItem.objects.filter(review=review, decision="accepted")
    assert accepted.count() == 2
    assert {a.owner for a in accepted} == {"Ministry of Justice (test)"}
    pdf = download_report(lead)
    assert pdf.startswith(b"%PDF")
    title = PdfReader(io.BytesIO(pdf)).metadata.title
    assert title.startswith("Fictional XA 2027"), title

    # 6. The lead switches to French; it follows them to another browser.
    switch_language(lead, "Français")
    lead.locator("html[lang=fr]").wait_for(state="attached")
    cast.xa_lead.refresh_from_db()
    assert cast.xa_lead.language == "fr"
    lead.get_by_role("button", name="Se déconnecter").click()
    lead.context.close()
    elsewhere = new_page(browser, viewport={"width": 1280, "height": 900})
    sign_in(elsewhere, base, cast.xa_lead)
    assert elsewhere.locator("html").get_attribute("lang") == "fr"
    assert elsewhere.get_by_role("heading", level=1).inner_text() == "Examens"
    elsewhere.context.close()
