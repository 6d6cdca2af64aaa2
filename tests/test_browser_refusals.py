"""A refused form on a long page: the browser opens at the refusal, not at the top."""

import os

import pytest
from django.urls import reverse

from .browser import signed_in_page
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_refused_decision_takes_the_focus_and_the_view(browser, live_server, cast):
    from acsreview.web.reviews.models import Answer

    for item in ["SYS-REG-01", "PRV-CJI-02", "PRV-CJI-03", "CLI-ACC-01", "CLI-ACC-02"]:
        Answer.objects.create(review=cast.xa_review, item_id=item, answer="no", version=1)
    context, page = signed_in_page(browser, live_server.url, cast.xa_lead.email, PASSWORD)
    try:
        page.goto(live_server.url + reverse("reviews:plan", args=[cast.xa_review.slug]))
        cards = page.locator("article.recommendation")
        assert cards.count() >= 3
        last = cards.last
        last.get_by_label("Rejected", exact=True).check()
        last.get_by_role("button", name="Save the decision").click()
        page.wait_for_load_state()
        alert = page.locator("p.error[autofocus]")
        assert alert.count() == 1
        assert page.evaluate("() => document.activeElement.matches('p.error[autofocus]')")
        assert alert.is_visible() and alert.bounding_box()["y"] >= 0
        assert page.evaluate("() => window.scrollY") > 0  # not left at the top
        assert "Not saved, “" in page.locator("main [role=status]").inner_text()
    finally:
        context.close()
