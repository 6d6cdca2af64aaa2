"""The respondents' anonymous survey: plain HTML forms, no sign-in, no session, no tracking."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from acsreview.core.instrument import AnswerType
from acsreview.core.instrument.select import field_name, for_group
from acsreview.web.consultations.models import Consultation, Link, Response, ResponseAnswer
from acsreview.web.consultations.services.responses import RESUME_COOKIE
from acsreview.web.reviews.models import Status

pytestmark = pytest.mark.django_db
ANSWERS = ["yes", "partly", "no", "dont_know", "not_applicable", "prefer_not_to_say"]


@pytest.fixture
def consultation(cast):
    c = Consultation.objects.create(review=cast.xa_review, title="Round one",
                                    languages=["en", "fr"], threshold=5)
    for group in ["police", "health", "participants"]:
        Link.objects.create(consultation=c, group=group)
    return c


def link_of(consultation, group="police"):
    return consultation.links.get(group=group)


def pages_of(instrument, group):
    return [d for lv in for_group(instrument, group).levels for d in lv.domains]


def start_url(link):
    return reverse("survey:start", args=[link.token])


def page_url(link, n):
    return reverse("survey:page", args=[link.token, n])


def begin(client, link, language="en"):
    response = client.post(start_url(link), {"language": language})
    assert response.status_code == 302 and response["Location"] == page_url(link, 1)
    return response


def full_answers(domain):
    data = {}
    for i, q in enumerate(domain.questions):
        if q.answer_type == AnswerType.TEXT:
            data[field_name(q.id)] = "Training is scarce."
        else:
            data[field_name(q.id)] = ANSWERS[i % len(ANSWERS)]
    return data


def test_the_introduction_says_who_asks_and_why_and_offers_the_languages(consultation):
    link = link_of(consultation)
    page = Client().get(start_url(link))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Fictional XA" in text and "2026" in text
    assert "do not write names" in text
    assert "minutes" in text
    assert 'name="language" value="fr"' in text and 'name="language" value="de"' not in text
    assert "Police" in text
    assert RESUME_COOKIE not in page.cookies  # nothing is set before Start


def test_a_complete_survey_without_javascript(consultation, instrument):
    link = link_of(consultation)
    client = Client(enforce_csrf_checks=True)
    intro = client.get(start_url(link))
    token = intro.cookies["csrftoken"].value
    start = client.post(start_url(link), {"language": "en", "csrfmiddlewaretoken": token})
    assert start.status_code == 302
    cookie = start.cookies[RESUME_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == start_url(link) and int(cookie["max-age"]) == 30 * 24 * 3600
    response = Response.objects.get()
    assert response.group == "police" and response.source == "web"
    assert len(response.instance_id) == 32 and response.submitted_at is None
    assert response.resume_key_hash == hashlib.sha256(cookie.value.encode()).hexdigest()
    assert cookie.value not in response.resume_key_hash

    domains = pages_of(instrument, "police")
    for n, domain in enumerate(domains, start=1):
        page = client.get(page_url(link, n))
        assert page.status_code == 200
        text = page.content.decode()
        assert f"Page {n} of {len(domains)}" in text
        assert escape(domain.label) in text
        for q in domain.questions:
            name = field_name(q.id)
            if q.answer_type == AnswerType.TEXT:
                assert f'<textarea id="{name}" name="{name}"' in text
            else:
                for value in ANSWERS:
                    assert f'name="{name}" value="{value}"' in text
        saved = client.post(page_url(link, n), full_answers(domain)
                            | {"csrfmiddlewaretoken": token})
        expected = (page_url(link, n + 1) if n < len(domains)
                    else reverse("survey:review", args=[link.token]))
        assert saved.status_code == 302 and saved["Location"] == expected

    total = sum(len(d.questions) for d in domains)
    assert ResponseAnswer.objects.filter(response=response).count() == total
    review = client.get(reverse("survey:review", args=[link.token]))
    assert review.status_code == 200
    assert f"You answered {total} of {total} questions" in review.content.decode()
    done = client.post(reverse("survey:submit", args=[link.token]),
                       {"csrfmiddlewaretoken": token})
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    response.refresh_from_db()
    assert response.submitted_at is not None


def test_forms_need_the_csrf_token(consultation):
    link = link_of(consultation)
    client = Client(enforce_csrf_checks=True)
    assert client.post(start_url(link), {"language": "en"}).status_code == 403
    assert not Response.objects.exists()


def test_only_the_groups_questions_appear(consultation, instrument):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    police = pages_of(instrument, "police")
    seen = "".join(client.get(page_url(link, n)).content.decode()
                   for n in range(1, len(police) + 1))
    assert "PRV_HLI_01" not in seen
    assert "SYS_REG_01" in seen
    assert client.get(page_url(link, len(police) + 1)).status_code == 404
    assert client.get(page_url(link, 0)).status_code == 404

    health = link_of(consultation, "health")
    other = Client()
    begin(other, health)
    seen = "".join(other.get(page_url(health, n)).content.decode()
                   for n in range(1, len(pages_of(instrument, "health")) + 1))
    assert "PRV_HLI_01" in seen


def test_answers_posted_for_another_groups_questions_are_ignored(consultation, instrument):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    client.post(page_url(link, 1), {"PRV_HLI_01": "yes", "SYS_REG_01": "no"})
    assert list(ResponseAnswer.objects.values_list("item_id", "answer")) == [
        ("SYS-REG-01", "no")]


def test_the_survey_is_in_the_chosen_language(consultation, library, instrument):
    link = link_of(consultation)
    client = Client()
    begin(client, link, "fr")
    assert Response.objects.get().language == "fr"
    french = library.localized(instrument, "fr")
    domain = pages_of(french, "police")[0]
    page = client.get(page_url(link, 1)).content.decode()
    assert escape(domain.questions[0].text) in page
    assert "En partie" in page and "Partly" not in page
    assert '<html lang="fr">' in page


def test_a_language_outside_the_consultation_falls_back(consultation):
    link = link_of(consultation)
    client = Client()
    begin(client, link, "de")
    assert Response.objects.get().language == "en"


def test_help_texts_meant_for_respondents_are_shown(consultation, instrument):
    # The lead's notes stay off the survey: tests/test_survey_audience.py.
    participants = pages_of(instrument, "participants")
    helped = [(n, q) for n, d in enumerate(participants, start=1) for q in d.questions
              if q.help]
    assert helped, "the participants' questions include some with a help text"
    n, q = helped[0]
    link = link_of(consultation, "participants")
    client = Client()
    begin(client, link)
    assert escape(q.help) in client.get(page_url(link, n)).content.decode()


def test_saved_answers_are_shown_again_and_can_be_changed(consultation, instrument):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    client.post(page_url(link, 1), {"SYS_REG_01": "partly"})
    page = client.get(page_url(link, 1)).content.decode()
    assert 'name="SYS_REG_01" value="partly" checked' in page
    client.post(page_url(link, 1), {"SYS_REG_01": "no"})
    client.post(page_url(link, 1), {"SYS_REG_01": "no"})
    assert list(ResponseAnswer.objects.values_list("item_id", "answer")) == [
        ("SYS-REG-01", "no")]


def test_back_saves_and_returns_to_the_previous_page(consultation, instrument):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    domain = pages_of(instrument, "police")[1]
    q = domain.questions[0]
    response = client.post(page_url(link, 2), {field_name(q.id): "yes", "back": "1"})
    assert response["Location"] == page_url(link, 1)
    assert ResponseAnswer.objects.get().item_id == q.id
    assert 'name="back"' not in client.get(page_url(link, 1)).content.decode()
    assert 'name="back"' in client.get(page_url(link, 2)).content.decode()


def test_nothing_is_required(consultation, instrument):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    n = len(pages_of(instrument, "police"))
    for page in range(1, n + 1):
        assert client.post(page_url(link, page), {}).status_code == 302
    assert client.post(reverse("survey:submit", args=[link.token])).status_code == 200
    assert Response.objects.get().submitted_at is not None
    assert not ResponseAnswer.objects.exists()


@pytest.mark.parametrize("value", ["maybe", "YES", "yes ", "1", "yes\x00"])
def test_an_answer_outside_the_scale_is_rejected_with_a_field_error(consultation, value):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    response = client.post(page_url(link, 1), {"SYS_REG_01": value, "SYS_REG_02": "yes"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Choose one of the answers offered." in text
    assert 'id="SYS_REG_01-error"' in text
    assert list(ResponseAnswer.objects.values_list("item_id", "answer")) == [
        ("SYS-REG-02", "yes")]


def test_open_answers_are_limited_to_5000_characters(consultation, instrument):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    domain = pages_of(instrument, "police")[0]
    q = next(q for q in domain.questions if q.answer_type == AnswerType.TEXT)
    name = field_name(q.id)
    response = client.post(page_url(link, 1), {name: "x" * 5001})
    assert response.status_code == 422 and f'id="{name}-error"' in response.content.decode()
    assert not ResponseAnswer.objects.exists()
    assert client.post(page_url(link, 1), {name: "x" * 5000}).status_code == 302
    assert ResponseAnswer.objects.get().text == "x" * 5000
    client.post(page_url(link, 1), {name: "  "})  # clearing an answer removes it
    assert not ResponseAnswer.objects.exists()


def test_a_returning_respondent_resumes_where_they_left_off(consultation, instrument):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    domains = pages_of(instrument, "police")
    client.post(page_url(link, 1), full_answers(domains[0]))
    client.post(page_url(link, 2), full_answers(domains[1]))
    back = client.get(start_url(link))
    assert back.status_code == 302 and back["Location"] == page_url(link, 3)
    again = client.post(start_url(link), {"language": "en"})  # no second response
    assert again["Location"] == page_url(link, 3)
    assert Response.objects.count() == 1

    for n in range(3, len(domains) + 1):
        client.post(page_url(link, n), full_answers(domains[n - 1]))
    assert client.get(start_url(link))["Location"] == reverse("survey:review",
                                                              args=[link.token])


def test_a_new_device_starts_afresh(consultation):
    link = link_of(consultation)
    first = Client()
    begin(first, link)
    first.post(page_url(link, 1), {"SYS_REG_01": "yes"})
    other = Client()
    assert other.get(start_url(link)).status_code == 200
    assert other.get(page_url(link, 1))["Location"] == start_url(link)
    other.cookies[RESUME_COOKIE] = "forged"
    assert other.get(page_url(link, 1))["Location"] == start_url(link)
    assert other.post(page_url(link, 1), {"SYS_REG_01": "no"}).status_code == 302
    assert list(ResponseAnswer.objects.values_list("answer", flat=True)) == ["yes"]


def test_a_cookie_of_one_link_does_not_open_another(consultation):
    police, health = link_of(consultation), link_of(consultation, "health")
    client = Client()
    begin(client, police)
    assert client.get(page_url(health, 1))["Location"] == start_url(health)


def test_submit_once(consultation):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    client.post(page_url(link, 1), {"SYS_REG_01": "yes"})
    submit = reverse("survey:submit", args=[link.token])
    assert client.post(submit).status_code == 200
    first = Response.objects.get().submitted_at
    assert client.post(submit).status_code == 200
    assert Response.objects.get().submitted_at == first

    again = client.get(start_url(link))
    assert again.status_code == 200 and "already submitted" in again.content.decode()
    assert "already submitted" in client.post(start_url(link)).content.decode()
    changed = client.post(page_url(link, 1), {"SYS_REG_01": "no"})
    assert "already submitted" in changed.content.decode()
    assert ResponseAnswer.objects.get().answer == "yes"
    assert Response.objects.count() == 1
    review = client.get(reverse("survey:review", args=[link.token]))
    assert "already submitted" in review.content.decode()


def closes(consultation, link, how):
    if how == "link closed":
        link.is_open = False
        link.save()
    elif how == "past close date":
        consultation.closes_at = timezone.now() - timedelta(minutes=1)
        consultation.save()
    elif how == "review final":
        review = consultation.review
        review.status = Status.FINAL
        review.save()


@pytest.mark.parametrize("how", ["link closed", "past close date", "review final"])
def test_a_closed_survey_refuses_with_410_and_writes_nothing(consultation, how):
    link = link_of(consultation)
    started = Client()
    begin(started, link)
    started.post(page_url(link, 1), {"SYS_REG_01": "yes"})
    closes(consultation, link, how)
    before = (Response.objects.count(), list(ResponseAnswer.objects.values_list("answer")))

    fresh = Client()
    intro = fresh.get(start_url(link))
    assert intro.status_code == 410 and "closed" in intro.content.decode()
    assert fresh.post(start_url(link), {"language": "en"}).status_code == 410
    assert started.get(page_url(link, 1)).status_code == 410
    assert started.post(page_url(link, 1), {"SYS_REG_01": "no"}).status_code == 410
    assert started.get(reverse("survey:review", args=[link.token])).status_code == 410
    assert started.post(reverse("survey:submit", args=[link.token])).status_code == 410
    after = (Response.objects.count(), list(ResponseAnswer.objects.values_list("answer")))
    assert before == after
    assert Response.objects.get().submitted_at is None


def test_a_future_close_date_leaves_the_survey_open(consultation):
    consultation.closes_at = timezone.now() + timedelta(days=1)
    consultation.save()
    assert Client().get(start_url(link_of(consultation))).status_code == 200


def test_a_group_at_its_maximum_refuses_more(consultation):
    consultation.max_responses = 2
    consultation.save()
    link = link_of(consultation)
    submit = reverse("survey:submit", args=[link.token])
    clients = [Client() for _ in range(3)]
    for client in clients:
        begin(client, link)
    assert clients[0].post(submit).status_code == 200
    assert clients[1].post(submit).status_code == 200
    refused = clients[2].post(submit)
    assert refused.status_code == 410
    assert "all the answers it needs" in refused.content.decode()
    assert Response.objects.filter(submitted_at__isnull=False).count() == 2
    fresh = Client()
    assert fresh.get(start_url(link)).status_code == 410
    assert fresh.post(start_url(link), {"language": "en"}).status_code == 410
    assert Response.objects.count() == 3
    # another group still takes answers
    health = link_of(consultation, "health")
    assert Client().get(start_url(health)).status_code == 200


def test_an_unknown_token_is_not_found(db):
    for url in [reverse("survey:start", args=["nope"]), reverse("survey:page", args=["nope", 1]),
                reverse("survey:review", args=["nope"])]:
        assert Client().get(url).status_code == 404
    assert Client().post(reverse("survey:submit", args=["nope"])).status_code == 404
    assert not Response.objects.exists()


def test_nothing_identifying_is_stored(consultation):
    fields = {f.name for f in Response._meta.get_fields()}
    for forbidden in ["ip", "ip_address", "remote_addr", "user_agent", "user", "email", "name",
                      "session", "session_key"]:
        assert forbidden not in fields
    assert fields <= {"id", "consultation", "group", "source", "instance_id",
                      "resume_key_hash", "language", "started_at", "submitted_at", "answers"}

    link = link_of(consultation)
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 Tracker-Test", REMOTE_ADDR="203.0.113.9")
    begin(client, link)
    client.post(page_url(link, 1), {"SYS_REG_01": "yes"})
    client.get(reverse("survey:review", args=[link.token]))
    client.post(reverse("survey:submit", args=[link.token]))
    assert not Session.objects.exists()
    assert "sessionid" not in client.cookies
    stored = " ".join(str(v) for v in Response.objects.values().get().values())
    assert "203.0.113.9" not in stored and "Tracker-Test" not in stored


def test_pages_are_not_cached(consultation):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    assert "no-store" in client.get(page_url(link, 1))["Cache-Control"]


def test_few_queries_per_page(consultation, instrument, django_assert_max_num_queries):
    link = link_of(consultation)
    client = Client()
    begin(client, link)
    domain = pages_of(instrument, "police")[0]
    with django_assert_max_num_queries(7):
        assert client.post(page_url(link, 1), full_answers(domain)).status_code == 302
    with django_assert_max_num_queries(5):
        assert client.get(page_url(link, 1)).status_code == 200
