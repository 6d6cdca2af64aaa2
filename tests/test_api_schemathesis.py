"""The API keeps the promises of its own OpenAPI description, whatever a client sends.

schemathesis reads /api/openapi.json from the app itself (in-process, through WSGI) and,
for every operation, generates requests from the description: valid ones, and invalid
ones (wrong types, values out of range, strings where numbers go, unknown fields). Each
is sent with the token of the demo's review lead, against the demo data, and the answer
must never be a server error and must match what the description says of that status
(its body and its content type).

Bounded for CI: a few examples per operation and mode, derandomized (the same requests on
every run), and a time budget for the whole module after which the remaining operations
are skipped, not failed.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .api_client import token_for

EXAMPLES = {"GET": 10, "PUT": 20, "POST": 20}  # per operation and generation mode
BUDGET_SECONDS = 90  # for the whole module; beyond it the remaining operations are skipped
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
LEAD_REVIEW = "XA-2026"
# Other reviews: final (read-only for the lead), and another jurisdiction's (not found).
OTHER_REVIEWS = ["XA-2024", "XB-2026"]
ITEMS = ["SYS-REG-01", "SYS-REG-06", "PRV-CJE-01", "CLI-STG-01"]

_handler = WSGIHandler()


def app(environ, start_response):
    """Django's WSGI handler, in the test's database transaction.

    A real request closes "old" database connections when it starts and ends; inside the
    test's transaction that would break it, so (as Django's own test client does) the
    handler runs without that signal.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = _handler(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
        return [body]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}
START: list[float] = []


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    from acsreview.web.demo import DEMO_LEAD_EMAIL, load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        from acsreview.web.accounts.models import User

        yield User.objects.get(email=DEMO_LEAD_EMAIL)
        transaction.set_rollback(True)


@pytest.fixture
def lead_token(demo, db, settings):
    settings.NINJA_DEFAULT_THROTTLE_RATES = {"user": None, "auth": None, "anon": None}
    return token_for(demo)


@pytest.fixture
def real(client, lead_token):
    """Path parameters that reach data: mostly the lead's review, its items and plan keys."""
    plan = client.get(f"/api/reviews/{LEAD_REVIEW}/plan",
                      HTTP_AUTHORIZATION=f"Bearer {lead_token}").json()
    keys = [r["key"] for r in plan["recommendations"]] + [
        a["key"] for a in plan["other_decisions"]]
    assert keys
    return {"slug": [LEAD_REVIEW] * 3 + OTHER_REVIEWS, "item_id": ITEMS, "key": keys}


def cases(operation, mode: GenerationMode, real: dict):
    """Requests for ``operation``: three in four with real path parameters, the others with
    generated ones."""
    names = sorted(p.name for p in operation.path_parameters)  # a set's order is not fixed
    if not names:
        return operation.as_strategy(mode)
    fixed = st.fixed_dictionaries({name: st.sampled_from(real[name]) for name in names})
    return st.sampled_from([True, True, True, False]).flatmap(
        lambda use_real: fixed.flatmap(
            lambda path: operation.as_strategy(mode, path_parameters=path))
        if use_real else operation.as_strategy(mode))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_request_gets_a_server_error_or_an_undescribed_answer(label, mode, lead_token,
                                                                 real):
    if not START:
        START.append(time.monotonic())
    if time.monotonic() - START[0] > BUDGET_SECONDS:
        pytest.skip(f"the schemathesis budget of {BUDGET_SECONDS} s is spent")
    headers = {"Authorization": f"Bearer {lead_token}"}
    operation = OPERATIONS[label]

    @settings(max_examples=EXAMPLES[operation.method.upper()], deadline=None,
              derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=cases(operation, mode, real))
    def check(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        assert b"Traceback" not in response.content

    check()


def test_valid_writes_answer_in_the_described_shape(lead_token, client):
    """The generated writes are mostly refused (a random version is a conflict); these
    are accepted, and their 200 answers must match the description too."""
    headers = {"Authorization": f"Bearer {lead_token}"}
    answers = client.get(f"/api/reviews/{LEAD_REVIEW}/answers", {"limit": 200},
                         HTTP_AUTHORIZATION=headers["Authorization"]).json()["items"]
    item = next(a for a in answers if a["version"] == 0 and a["answer_type"] == "choice")
    plan = client.get(f"/api/reviews/{LEAD_REVIEW}/plan",
                      HTTP_AUTHORIZATION=headers["Authorization"]).json()
    key = next(r["key"] for r in plan["recommendations"] if r["decision"] is None)

    def send(label, path, body):
        case = OPERATIONS[label].Case(path_parameters=path, body=body,
                                      media_type="application/json")
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    saved = send("PUT /api/reviews/{slug}/answers/{item_id}",
                 {"slug": LEAD_REVIEW, "item_id": item["item_id"]},
                 {"version": 0, "answer": "partly",
                  "evidence": "Line\u2028separator, \U0001f600, \u202eright-to-left",
                  "sources": [{"title": "Loi n\u00b0 12/2020", "url": "https://example.org/ü"}]})
    assert saved["version"] == 1
    decided = send("POST /api/reviews/{slug}/plan/{key}", {"slug": LEAD_REVIEW, "key": key},
                   {"version": 0, "decision": "accepted", "owner": "Ministère de la Santé"})
    followed = send("POST /api/reviews/{slug}/plan/{key}/progress",
                    {"slug": LEAD_REVIEW, "key": key},
                    {"version": decided["version"], "status": "in_progress",
                     "due_date": "2027-06-30"})
    assert followed["status"] == "in_progress"
