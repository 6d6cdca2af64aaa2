"""The next round follows up each action agreed in the previous one: did it have the desired
effect on the severity of the barriers behind it?"""

import re

import pytest
from django.urls import reverse

from acsreview.core.actions import Outcome
from acsreview.web.reviews.models import Answer, Status
from acsreview.web.reviews.services.actions import decide, earlier_actions, previous_round

from .factories import ReviewFactory

pytestmark = pytest.mark.django_db

KEY = "system:address_barriers"  # SYS-REG-01 and SYS-REG-02 endorse it


def answer(review, item_id, value):
    return Answer.objects.create(review=review, item_id=item_id, answer=value, version=1)


def finalise(review):
    review.status = Status.FINAL
    review.save()


@pytest.fixture
def earlier(cast):
    """XA-2024: no ACS law (SYS-REG-01 "no", severity 2); an agreed action on it, then final."""
    review = ReviewFactory(jurisdiction=cast.xa, round=2024)
    answer(review, "SYS-REG-01", "no")
    decide(review, KEY, cast.xa_lead, decision="edited", title="Draft an ACS law (test)",
           justification="More precise (test).", owner="Ministry of Justice (test)",
           status="in_progress", expected_version=0)
    finalise(review)
    return review


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_an_action_whose_barrier_was_removed_shows_as_improved(cast, earlier, as_user):
    answer(cast.xa_review, "SYS-REG-01", "yes")  # the law was passed: severity 0
    [item] = earlier_actions(cast.xa_review)
    assert item.action.title == "Draft an ACS law (test)"
    assert item.follow_up.outcome == Outcome.IMPROVED
    [change] = item.follow_up.barriers
    assert (change.question_id, change.before, change.after) == ("SYS-REG-01", 2, 0)
    assert (item.follow_up.before, item.follow_up.after) == (100, 0)

    text = text_of(as_user(cast.xa_lead).get(reverse("reviews:plan", args=["XA-2026"])))
    section = text[text.index("Actions from the previous round"):]
    assert "The actions agreed in XA-2024" in section
    assert "Draft an ACS law (test)" in section
    assert "Ministry of Justice (test)" in section and "In progress" in section
    assert "Outcome Improved" in section
    assert "went from 100 to 0" in section
    row = section[section.index("SYS-REG-01"):]
    assert re.match(r"SYS-REG-01 Is there legislation[^?]*\? 2 0 ↓ less severe", row)


def test_an_unchanged_or_worse_barrier_says_so(cast, earlier):
    answer(cast.xa_review, "SYS-REG-01", "no")
    assert earlier_actions(cast.xa_review)[0].follow_up.outcome == Outcome.UNCHANGED
    review = ReviewFactory(jurisdiction=cast.xa, round=2022)  # an older round, answered better
    answer(review, "SYS-REG-01", "partly")
    decide(review, KEY, cast.xa_lead, decision="accepted", expected_version=0)
    finalise(review)
    earlier.actions.all().delete()
    assert earlier_actions(earlier)[0].follow_up.outcome == Outcome.WORSENED  # 1, then 2


def test_a_barrier_nobody_has_scored_this_round_is_not_known(cast, earlier, as_user):
    answer(cast.xa_review, "SYS-REG-01", "dont_know")
    [item] = earlier_actions(cast.xa_review)
    assert item.follow_up.outcome == Outcome.NOT_KNOWN
    text = text_of(as_user(cast.xa_lead).get(reverse("reviews:plan", args=["XA-2026"])))
    section = text[text.index("Actions from the previous round"):]
    assert "Outcome Not known" in section
    assert "not scored: an evidence gap" in section


def test_rejected_recommendations_are_not_followed_up(cast, earlier):
    earlier.status = Status.DRAFT
    earlier.save()
    answer(earlier, "PRV-CJI-02", "no")
    decide(earlier, "provider:resourcing", cast.xa_lead, decision="rejected",
           justification="Not now (test).", expected_version=0)
    finalise(earlier)
    assert [e.action.key for e in earlier_actions(cast.xa_review)] == [KEY]


def test_the_previous_round_is_the_latest_earlier_one_whatever_was_carried_over(cast,
                                                                               earlier):
    older = ReviewFactory(jurisdiction=cast.xa, round=2020)
    assert previous_round(cast.xa_review) == earlier  # the latest earlier round
    cast.xa_review.carried_from = older
    cast.xa_review.save()
    # still the round just before: the follow-up and the trends page agree on it
    assert previous_round(cast.xa_review) == earlier
    assert [e.action.key for e in earlier_actions(cast.xa_review)] == [
        a.key for a in earlier.actions.filter(decision__in=["accepted", "edited"])
        .order_by("rank", "key")]
    assert previous_round(ReviewFactory(jurisdiction=cast.xb, round=2020)) is None
    assert previous_round(cast.xb_review).round == 2020  # same jurisdiction only


def test_a_first_round_and_a_round_without_agreed_actions_say_so(cast, as_user):
    client = as_user(cast.xa_lead)
    text = text_of(client.get(reverse("reviews:plan", args=["XA-2026"])))
    assert "This is the jurisdiction's first review round" in text
    ReviewFactory(jurisdiction=cast.xa, round=2024)
    text = text_of(client.get(reverse("reviews:plan", args=["XA-2026"])))
    assert "No action was agreed in XA-2024." in text


def test_the_earlier_round_keeps_its_plan_and_decisions_read_only(cast, earlier, as_user):
    html = as_user(cast.xa_lead).get(reverse("reviews:plan", args=["XA-2024"])).content.decode()
    text = text_of_html(html)
    assert "Draft an ACS law (test)" in text and "Accepted with edits" in text
    assert "More precise (test)." in text
    assert 'method="post" action="/reviews/XA-2024/plan/' not in html


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
