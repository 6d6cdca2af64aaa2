"""The logs hold no personal data: no e-mail, network address, resume key or answer text.

Every logger is listened to at DEBUG, including those that do not pass their records on
to the root logger (django-axes'), while a visitor fails to sign in, a stakeholder answers
and submits a survey, someone asks for pages that do not exist and a program calls the
API with a bad token.
"""

import logging
import traceback

import pytest
from django.test import Client
from django.urls import reverse

from acsreview.core.instrument import AnswerType
from acsreview.core.instrument.select import field_name, for_group
from acsreview.web.consultations.models import Consultation, Link, Response
from acsreview.web.consultations.services.responses import RESUME_COOKIE

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"  # a documentation address (RFC 5737), only ever a header value
FORWARDED = "198.51.100.23"
TYPED_EMAIL = "someone.mistyped@example.org"
ANSWER_TEXT = "Sergeant Example at the harbour station refuses referrals"
BAD_TOKEN = "not-a-token-but-a-secret-looking-string-0123456789"


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def logs():
    """Every record of every logger, at DEBUG, for the length of the test."""
    capture = Capture()
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name, found in logging.Logger.manager.loggerDict.items()
        if isinstance(found, logging.Logger)]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        if lg is loggers[0] or not lg.propagate:  # records stop there: listen there too
            lg.addHandler(capture)
    yield capture.records
    for lg, level, disabled in saved:
        lg.setLevel(level)
        lg.disabled = disabled
        lg.removeHandler(capture)


def text_of(record: logging.LogRecord) -> str:
    """All a formatter could write of the record: its message, its exception, its stack."""
    parts = [record.name, record.getMessage()]
    if record.exc_info:
        parts += traceback.format_exception(*record.exc_info)
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


def assert_clean(records, *secrets):
    assert records, "nothing was logged: the capture does not work"
    for record in records:
        text = text_of(record)
        for secret in secrets:
            assert secret not in text, f"{record.name} logged {secret!r}: {text}"


@pytest.fixture
def link(cast):
    c = Consultation.objects.create(review=cast.xa_review, languages=["en"])
    return Link.objects.create(consultation=c, group="police")


def test_a_failed_sign_in_logs_neither_the_email_nor_the_address(cast, logs):
    client = Client(REMOTE_ADDR=ADDRESS)
    for email in (TYPED_EMAIL, cast.xa_lead.email):
        response = client.post(reverse("login"), {"username": email, "password": "wrong"})
        assert response.status_code == 200
    assert_clean(logs, TYPED_EMAIL, cast.xa_lead.email, ADDRESS)


def test_a_survey_logs_neither_the_answers_nor_the_resume_key(link, instrument, logs):
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=FORWARDED)
    start = client.post(reverse("survey:start", args=[link.token]), {"language": "en"})
    assert start.status_code == 302
    key = start.cookies[RESUME_COOKIE].value
    domains = [d for lv in for_group(instrument, "police").levels for d in lv.domains]
    for n, domain in enumerate(domains, start=1):
        data = {field_name(q.id): ANSWER_TEXT if q.answer_type == AnswerType.TEXT else "no"
                for q in domain.questions}
        saved = client.post(reverse("survey:page", args=[link.token, n]), data)
        assert saved.status_code == 302
    # Pages that show the answers given: on resuming, and before submitting.
    assert ANSWER_TEXT in client.get(reverse("survey:page", args=[link.token, 1])
                                     ).content.decode()
    assert client.get(reverse("survey:review", args=[link.token])).status_code == 200
    done = client.post(reverse("survey:submit", args=[link.token]))
    assert done.status_code == 200
    assert Response.objects.get().submitted_at is not None
    client.get(reverse("survey:page", args=[link.token, 999]))  # no such page
    client.get(reverse("survey:start", args=["no-such-token"]))
    assert_clean(logs, ANSWER_TEXT, key, ADDRESS, FORWARDED)


def test_pages_not_found_log_no_personal_data(cast, as_user, logs):
    anonymous = Client(REMOTE_ADDR=ADDRESS)
    assert anonymous.get("/no/such/page/").status_code == 404
    signed_in = as_user(cast.xa_lead)
    assert signed_in.get("/reviews/XQ-1999/", REMOTE_ADDR=ADDRESS).status_code == 404
    assert_clean(logs, ADDRESS, cast.xa_lead.email)


def test_an_api_call_with_a_bad_token_logs_neither_the_token_nor_the_address(cast, client,
                                                                              logs):
    response = client.get("/api/reviews", HTTP_AUTHORIZATION=f"Bearer {BAD_TOKEN}",
                          REMOTE_ADDR=ADDRESS)
    assert response.status_code == 401
    assert_clean(logs, BAD_TOKEN, ADDRESS)
