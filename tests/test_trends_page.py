"""The trends page: a jurisdiction's rounds side by side, what changed, what was agreed."""

import re
from html import unescape

import pytest
from django.urls import reverse

from acsreview.web.reviews.models import ActionItem, Answer, Decision, Progress, Status

from .factories import ReviewFactory

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def row(html: str, marker: str) -> str:
    for match in re.finditer(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        if marker in match.group(1):
            return text(match.group(1))
    raise AssertionError(f"no row with {marker}")


def url(review):
    return reverse("reviews:trends", args=[review.slug])


def answers(review, **given):
    for item, value in given.items():
        Answer.objects.create(review=review, item_id=item.replace("_", "-"), answer=value)


def action(review, key, title, decision, owner="", status=Progress.NOT_STARTED):
    return ActionItem.objects.create(review=review, key=key, level_id="system",
                                     area_id=key.split(":")[1], rank=1, weight=1.0,
                                     decision=decision, title=title, owner=owner, status=status)


@pytest.fixture
def two_rounds(cast):
    """XA-2024 (final): SYS-REG-01 and -02 'no'. XA-2026: SYS-REG-01 'yes', -02 'no'."""
    earlier = ReviewFactory(jurisdiction=cast.xa, round=2024, status=Status.FINAL)
    answers(earlier, SYS_REG_01="no", SYS_REG_02="no")
    answers(cast.xa_review, SYS_REG_01="yes", SYS_REG_02="no")
    action(earlier, "system:awareness", "Train prosecutors on diversion", Decision.ACCEPTED,
           owner="Ministry of Justice", status=Progress.IN_PROGRESS)
    action(earlier, "system:resourcing", "Fund two more treatment places", Decision.EDITED,
           status=Progress.DONE)
    action(earlier, "system:evidence", "A rejected idea", Decision.REJECTED)
    action(cast.xa_review, "system:coordination", "Agreed only this round", Decision.ACCEPTED)
    return earlier


def test_the_page_follows_roles(cast, as_user, client):
    expect = {"coordinator": (200, 200), "xa_lead": (200, 404), "xa_contributor": (200, 404),
              "xb_viewer": (404, 200), "outsider": (404, 404)}
    for persona, (xa, xb) in expect.items():
        c = as_user(getattr(cast, persona))
        assert c.get(url(cast.xa_review)).status_code == xa, persona
        assert c.get(url(cast.xb_review)).status_code == xb, persona
        c.logout()
    assert client.get(url(cast.xa_review)).status_code == 302


def test_one_round_only_is_said_plainly(cast, as_user):
    html = as_user(cast.xb_viewer).get(url(cast.xb_review)).content.decode()
    assert ("XB-2026 is the only round of Fictional XB you can read: a trend needs at least "
            "two rounds.") in text(html)
    assert "<table" not in html


def test_two_rounds_show_the_change(cast, as_user, two_rounds):
    html = as_user(cast.xa_contributor).get(url(cast.xa_review)).content.decode()
    # 2024: severities 2, 2 -> 100; 2026: 0, 2 -> 50; a fall of 50 points
    assert row(html, "National regulatory frameworks") == (
        "National regulatory frameworks 100 50 −50 (fewer barriers)")
    assert row(html, "Societal influences") == (
        "Societal influences not scored not scored —")
    # only SYS-REG-01 changed: "no" (2) to "yes" (0)
    assert row(html, "SYS-REG-01") == (
        "SYS-REG-01 Is there legislation in place which facilitates the use of ACS? "
        "National regulatory frameworks 2 0 −2 (fewer barriers)")
    assert "SYS-REG-02 " not in text(html)
    # the same page from the earlier round
    assert as_user(cast.xa_lead).get(url(two_rounds)).status_code == 200


def test_actions_agreed_in_the_earlier_round_appear_between_the_rounds(cast, as_user,
                                                                        two_rounds):
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    section = text(html.split('id="actions-heading"')[1])
    assert "From 2024 to 2026" in section
    # an accepted action reads as its recommendation (in the reader's language), not as
    # whatever title was saved with it; an edited one keeps the team's words
    assert row(html, "Improve awareness") == (
        "Improve awareness and understanding (System level) Ministry of Justice In progress")
    assert "Train prosecutors" not in html
    assert row(html, "Fund two more") == "Fund two more treatment places — Done"
    assert "A rejected idea" not in html
    assert "Agreed only this round" not in html  # it waits for the next round


def test_comparability_is_explained_in_words(cast, as_user, two_rounds):
    html = text(as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode())
    assert "compared over the 62 questions they all have" in html
    assert ("XA-2024, National regulatory frameworks: the index rests on 2 of 5 questions, "
            "fewer than half.") in html


def test_other_jurisdictions_never_enter_the_trend(cast, as_user, two_rounds):
    ReviewFactory(jurisdiction=cast.xb, round=2024)
    html = as_user(cast.coordinator).get(url(cast.xa_review)).content.decode()
    assert "XB-2024" not in html and "XB-2026" not in html
    html = as_user(cast.xb_viewer).get(url(cast.xb_review)).content.decode()
    assert "XA-" not in html
