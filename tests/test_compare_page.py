"""The coordinator's comparison of jurisdictions in a round."""

import re
from html import unescape

import pytest
from django.urls import reverse

from acsreview.web.reviews.models import Answer, Status

from .factories import JurisdictionFactory, ReviewFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("reviews:compare")
REG = [f"SYS-REG-0{i}" for i in range(1, 6)]  # 5 choice questions, "yes" helps ACS


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def row(html: str, marker: str) -> str:
    for match in re.finditer(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        if marker in match.group(1):
            return text(match.group(1))
    raise AssertionError(f"no row with {marker}")


def answers(review, values: dict):
    Answer.objects.bulk_create([Answer(review=review, item_id=q, answer=a)
                                for q, a in values.items()])


@pytest.fixture
def round_2026(cast):
    """XA: SYS-REG all 'no' (index 100); XB (in consultation): all 'yes' (index 0)
    and SYS-INT-01 'partly', -02 'dont_know' (1 of 2 scored: index 50)."""
    answers(cast.xa_review, dict.fromkeys(REG, "no"))
    answers(cast.xb_review, dict.fromkeys(REG, "yes")
            | {"SYS-INT-01": "partly", "SYS-INT-02": "dont_know"})
    cast.xb_review.status = Status.CONSULTATION
    cast.xb_review.save()
    return cast


def test_only_coordinators_may_compare(cast, as_user, client):
    for persona in ["xa_lead", "xa_contributor", "xb_viewer", "outsider"]:
        response = as_user(getattr(cast, persona)).get(PAGE)
        assert response.status_code == 403, persona
        assert "Compare" not in text(response.content.decode()).split("Not allowed")[0]
    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    ok = as_user(cast.coordinator).get(PAGE)
    assert ok.status_code == 200
    assert f'href="{PAGE}"' in ok.content.decode()  # in the main menu


def test_indices_are_compared_over_the_common_questions(as_user, round_2026):
    html = as_user(round_2026.coordinator).get(PAGE).content.decode()
    # 74 items of which 12 open: 62 choice questions, all common to two reviews of 1.0
    assert "computed over the 62 questions that every review of the round has" in text(html)
    xa, xb = row(html, "XA-2026"), row(html, "XB-2026")
    assert xa.startswith("Fictional XA XA-2026 Draft 100 5 of 5 scored not scored 0 of 4 scored")
    assert xb.startswith("Fictional XB XB-2026 Consultation 0 5 of 5 scored")
    assert "50 1 of 2 scored" in xb  # SYS-INT: partly (1) -> 50; the don't know is no score
    assert ("XB-2026, Intelligence & monitoring: the index rests on 1 of 2 questions"
            not in text(html))  # one of two is half, not fewer than half
    assert ("XA-2026, Societal influences: the index rests on 0 of 4 questions, "
            "fewer than half.") in text(html)


def test_a_peer_that_scores_well_is_listed_with_its_facilitators(as_user, round_2026,
                                                                instrument):
    html = as_user(round_2026.coordinator).get(PAGE).content.decode()
    section = text(html.split('id="peers-heading"')[1])
    xa_part = section.split("Fictional XB XB-2026")[0]
    # XA's worst domain is SYS-REG (100); XB scores 0 there, 100 points lower
    assert "National regulatory frameworks: index 100 Fictional XB (XB-2026): index 0" in xa_part
    assert "SYS-REG-01 Is there legislation in place which facilitates the use of ACS?" in xa_part
    catalogue = {e.id: e.text for e in instrument.catalogue}
    mapped = {e for d in instrument.levels[0].domains if d.id == "SYS-REG"
              for q in d.questions for e in q.facilitators}
    assert mapped  # the instrument maps these questions to facilitators
    for entry in mapped:
        assert catalogue[entry] in xa_part
    # XB's worst is SYS-INT (50): XA has no score there, so no peer
    xb_part = section.split("Fictional XB XB-2026")[1]
    assert ("Intelligence & monitoring: index 50 No other jurisdiction scores at least "
            "20 points lower here.") in xb_part


def test_the_round_is_chosen_and_defaults_to_the_latest(cast, as_user, round_2026):
    earlier = ReviewFactory(jurisdiction=JurisdictionFactory(code="XC"), round=2024)
    client = as_user(cast.coordinator)
    html = client.get(PAGE).content.decode()
    assert '<option value="2026" selected>' in html and "XC-2024" not in html
    html = client.get(PAGE, {"round": "2024"}).content.decode()
    assert earlier.slug in html and "XA-2026" not in html
    assert "XA-2026" in client.get(PAGE, {"round": "nonsense"}).content.decode()
    assert "There is no review in round 2030." in text(
        client.get(PAGE, {"round": "2030"}).content.decode())
