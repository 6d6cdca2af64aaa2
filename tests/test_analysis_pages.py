"""The analysis page: the lead's indices computed by hand, gaps shown as gaps, and the
stakeholders' figures only where the consultation publishes them."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from acsreview.web.consultations.models import Consultation, Response, ResponseAnswer
from acsreview.web.demo import DEMO_DOMAIN, load_demo
from acsreview.web.reviews.models import Answer

pytestmark = pytest.mark.django_db


def url(review, name="reviews:analysis", *extra):
    return reverse(name, args=[review.slug, *extra])


def text(html: str) -> str:
    """What a reader sees: tags dropped, white space collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def row(html: str, marker: str) -> str:
    """The text of the table row holding ``marker``."""
    for match in re.finditer(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        if marker in match.group(1):
            return text(match.group(1))
    raise AssertionError(f"no row with {marker}")


def answer(review, item, value="", override=None, justification=""):
    Answer.objects.create(review=review, item_id=item, answer=value,
                          severity_override=override, override_justification=justification)


@pytest.fixture
def answered(cast):
    """XA-2026, system level: SYS-REG (5 choice questions, 'yes' helps) answered
    yes/no/partly/don't know/-, and SYS-SOC-03 ('yes' hinders) answered yes but
    overridden to 0."""
    review = cast.xa_review
    answer(review, "SYS-REG-01", "yes")  # severity 0
    answer(review, "SYS-REG-02", "no")  # 2
    answer(review, "SYS-REG-03", "partly")  # 1
    answer(review, "SYS-REG-04", "dont_know")  # a gap; SYS-REG-05 unanswered: a gap too
    answer(review, "SYS-SOC-03", "yes", override=0,
           justification="The pilot courts show the opposite.")  # computed 2, overridden 0
    return review


def respond(consultation, group, item, answers):
    for i, value in enumerate(answers):
        r = Response.objects.create(consultation=consultation, group=group,
                                    instance_id=f"{group}-{item}-{i}",
                                    submitted_at=timezone.now())
        ResponseAnswer.objects.create(response=r, item_id=item, answer=value)


def test_the_page_follows_roles(cast, as_user, client):
    expect = {"coordinator": (200, 200), "xa_lead": (200, 404), "xa_contributor": (200, 404),
              "xb_viewer": (404, 200), "outsider": (404, 404)}
    for name, extra in [("reviews:analysis", []), ("reviews:analysis_domain", ["SYS-REG"])]:
        for persona, (xa, xb) in expect.items():
            c = as_user(getattr(cast, persona))
            assert c.get(url(cast.xa_review, name, *extra)).status_code == xa, persona
            assert c.get(url(cast.xb_review, name, *extra)).status_code == xb, persona
            c.logout()
        response = client.get(url(cast.xa_review, name, *extra))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_unknown_domain_is_not_found(cast, as_user):
    assert as_user(cast.xa_lead).get(
        url(cast.xa_review, "reviews:analysis_domain", "NOPE")).status_code == 404


def test_indices_match_hand_computed_values(cast, as_user, answered):
    html = as_user(cast.xa_lead).get(url(answered)).content.decode()
    # SYS-REG: severities 0, 2, 1 -> mean 1 -> index 50; gaps 2 of 5 applicable -> 40
    assert row(html, "National regulatory frameworks") == (
        "National regulatory frameworks 50 3 of 5 scored 40 2 gaps no consultation —")
    # SYS-SOC: only the overridden question is scored, at 0; the other 3 are gaps (75)
    assert row(html, "Societal influences") == (
        "Societal influences 0 1 of 4 scored 75 3 gaps no consultation —")
    # System level: severities 0, 2, 1, 0 -> 3/4/2*100 = 37.5 -> 38; 11 gaps of 15 -> 73
    assert row(html, "System level: all domains") == (
        "System level: all domains 38 4 of 15 scored 73 11 gaps no consultation —")
    assert "This review has no consultation" in text(html)


def test_a_dont_know_shows_as_a_gap_not_a_score(cast, as_user, answered):
    html = as_user(cast.xa_lead).get(
        url(answered, "reviews:analysis_domain", "SYS-REG")).content.decode()
    assert row(html, "SYS-REG-04").startswith(
        "SYS-REG-04 Does this guidance attend to best practice principles? Don't know "
        "not scored “Don't know”: an evidence gap, not scored Evidence gap none")
    assert "Not answered: an evidence gap, not scored Evidence gap" in row(html, "SYS-REG-05")
    assert "No 2 “No” to a question where yes helps ACS: severity 2 none" in row(
        html, "SYS-REG-02")


def test_an_override_shows_both_severities_and_its_justification(cast, as_user, answered):
    html = as_user(cast.xa_lead).get(
        url(answered, "reviews:analysis_domain", "SYS-SOC")).content.decode()
    assert ("Yes 2 “Yes” to a question where yes hinders ACS: severity 2 "
            "Severity 0 by the lead Justification: The pilot courts show the opposite."
            ) in row(html, "SYS-SOC-03")


def test_published_stakeholder_figures_sit_beside_the_lead(cast, as_user, answered):
    c = Consultation.objects.create(review=answered, languages=["en"])  # threshold 5
    respond(c, "police", "SYS-REG-01", ["yes"] * 5)
    respond(c, "judges", "SYS-REG-01", ["no"] * 5)
    client = as_user(cast.xa_contributor)
    html = client.get(url(answered)).content.decode()
    # 5 at severity 0, 5 at 2: index 50 over 1 question; the lead says 0: 50 points apart
    assert row(html, "National regulatory frameworks") == (
        "National regulatory frameworks 50 3 of 5 scored 40 2 gaps 50 over 1 question "
        "50 points Large divergence: the lead and the stakeholders disagree "
        "1 question 50 points or more apart")
    assert row(html, "Societal influences") == (
        "Societal influences 0 1 of 4 scored 75 3 gaps no published figure —")
    html = client.get(url(answered, "reviews:analysis_domain", "SYS-REG")).content.decode()
    # half see a barrier; an even split between the extremes is no agreement at all
    assert row(html, "SYS-REG-01").endswith(
        "Index 50 50% see some barrier · consensus 0.00 · n = 10 "
        "50 points Large divergence: the lead and the stakeholders disagree")
    assert row(html, "SYS-REG-02").endswith("not published —")


def test_groups_below_the_threshold_publish_nothing(cast, as_user, answered):
    c = Consultation.objects.create(review=answered, languages=["en"])  # threshold 5
    respond(c, "police", "SYS-REG-01", ["no"] * 3)
    respond(c, "judges", "SYS-REG-01", ["no"])  # pooled: 4, still below 5
    client = as_user(cast.xa_lead)
    html = client.get(url(answered)).content.decode()
    assert row(html, "National regulatory frameworks") == (
        "National regulatory frameworks 50 3 of 5 scored 40 2 gaps not published —")
    assert "The consultation has no published figure yet" in text(html)
    html = client.get(url(answered, "reviews:analysis_domain", "SYS-REG")).content.decode()
    assert row(html, "SYS-REG-01").endswith("none not published —")
    assert "see some barrier" not in html and "n = " not in html


def test_the_overview_and_the_review_menu_link_to_the_analysis(cast, as_user):
    html = as_user(cast.xa_lead).get(reverse("reviews:detail", args=["XA-2026"])).content.decode()
    assert html.count(f'href="{url(cast.xa_review)}"') == 2  # the menu and the profile
    assert f'href="{url(cast.xa_review, "reviews:trends")}"' in html


def test_the_demo_renders_every_analysis_page(client):
    load_demo()
    from acsreview.web.accounts.models import User

    client.force_login(User.objects.get(email="coordinator" + DEMO_DOMAIN),
                       backend="django.contrib.auth.backends.ModelBackend")
    for slug in ["XA-2024", "XA-2026", "XB-2026", "XC-2026"]:
        html = client.get(reverse("reviews:analysis", args=[slug])).content.decode()
        domains = re.findall(rf'href="(/reviews/{slug}/analysis/[^/"]+/)"', html)
        assert len(set(domains)) == 12, slug
        for path in set(domains):
            assert client.get(path).status_code == 200, path
    # XB-2026 is in consultation with published figures: the stakeholders' index shows
    html = client.get(reverse("reviews:analysis", args=["XB-2026"])).content.decode()
    assert "over 5 questions" in text(html)
