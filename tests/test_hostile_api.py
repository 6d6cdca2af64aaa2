"""Hostile API requests: bodies of the wrong types, nulls, huge strings, Unicode edge
cases, malformed JSON, odd content types and headers. The answer is always one of the
statuses the API documents, in its one error body, never a server error or a traceback;
and a refused write changes nothing (a digest of the tables a write touches)."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from acsreview.core.instrument import iter_questions
from acsreview.web.reviews.models import ActionItem, Answer, AuditEvent, Review

from .api_client import assert_error, token_for

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])
REVIEW = "XA-2026"
DOCUMENTED = {200, 400, 401, 403, 404, 405, 409, 413, 415, 422}


def digest() -> str:
    h = hashlib.sha256()
    for model in (Review, Answer, ActionItem, AuditEvent):
        for row in model.objects.order_by("pk").values_list():
            h.update(repr(row).encode())
    return h.hexdigest()


@pytest.fixture
def api(cast, client, instrument, settings):
    """The XA lead's token, and a review whose first domain has barriers (so that its
    plan has recommendations to decide on)."""
    settings.NINJA_DEFAULT_THROTTLE_RATES = {"user": None, "auth": None, "anon": None}
    first = instrument.levels[0].domains[0]
    for q in first.questions:
        if q.answer_type == "choice":
            Answer.objects.create(review=cast.xa_review, item_id=q.id,
                                  answer="no" if q.polarity == "facilitator" else "yes",
                                  version=1)
    token = token_for(cast.xa_lead)
    plan = client.get(f"/api/reviews/{REVIEW}/plan", HTTP_AUTHORIZATION=f"Bearer {token}")
    keys = [r["key"] for r in plan.json()["recommendations"]]
    assert keys
    return {"client": client, "token": token, "keys": keys,
            "items": [q.id for q in iter_questions(instrument)][:8]}


def send(api, method: str, path: str, body: bytes | str | None = None,
         content_type: str = "application/json", **headers):
    headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {api['token']}")
    # generic() sends the body's bytes as they are, whatever the content type says
    return api["client"].generic(method.upper(), path, body or b"",
                                 content_type=content_type, **headers)


def assert_answered_well(response, before: str | None = None):
    """A documented status; an error in the one error body, with nothing written."""
    assert response.status_code in DOCUMENTED, (response.status_code, response.content[:300])
    assert b"Traceback" not in response.content
    if response.status_code >= 400:
        assert_error(response, response.status_code)
        if before is not None:
            assert digest() == before


# --- generated values ---------------------------------------------------------------------

EDGE_TEXT = ["", " ", "\x00", "a\x00b", "\ud800", "\udfff\ud800", "\U0010ffff", "\uffff",
             "\ufeff", "\u202e", "\u200b" * 50, "e\u0301" * 100, "\U0001f468\u200d\U0001f469",
             "\r\n", "\x1b[2J", "=cmd|' /C calc'!A0", "<script>alert(1)</script>",
             "'; DROP TABLE reviews; --", "../../etc/passwd", "%00", "\\u0000",
             "x" * 10_001, "y" * 20_001, "z" * 300_000]
texts = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=40))
# What a field of text may well hold: any Unicode but broken surrogates and NUL.
fair_texts = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                     max_size=40)
scalars = st.one_of(st.none(), st.booleans(), texts,
                    st.integers(-(2**70), 2**70), st.sampled_from([0, -1, 2**31, 2**63]),
                    st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=12)

# Each field's plausible values (some still refused: an override needs a justification,
# an open question takes no choice); ``bodies`` replaces some with anything at all.
ANSWER_FIELDS = {"version": st.sampled_from([0, 1, 2]), "answer": st.sampled_from(
    ["yes", "partly", "no", "dont_know", "not_applicable", ""]), "text": fair_texts,
    "evidence": fair_texts, "confidence": st.sampled_from(["", "low", "medium", "high"]),
    "notes": fair_texts, "severity_override": st.sampled_from([None, None, 0, 1, 2]),
    "override_justification": fair_texts,
    "sources": st.lists(st.fixed_dictionaries({"title": fair_texts.filter(bool)}, optional={
        "url": st.sampled_from(["https://example.org/x", "javascript:alert(1)", "", "ftp://x"]),
        "year": st.integers(1800, 2200)}), max_size=6)}
DECISION_FIELDS = {"version": st.sampled_from([0, 1]), "decision": st.sampled_from(
    ["accepted", "edited", "rejected", "maybe"]), "title": fair_texts,
    "description": fair_texts, "justification": fair_texts, "owner": fair_texts,
    "due_date": st.sampled_from(["2027-06-30", "0001-01-01", "9999-12-31", "2027-02-30",
                                 "yesterday", ""]) | st.dates().map(str),
    "status": st.sampled_from(["not_started", "in_progress", "done", "dropped", "x"])}
PROGRESS_FIELDS = {k: DECISION_FIELDS[k] for k in ("version", "owner", "due_date", "status")}


@st.composite
def bodies(draw, fields: dict):
    """An object of the right fields, some values replaced by anything JSON holds, some
    fields left out, and perhaps one the API does not know."""
    body = {}
    for name, good in fields.items():
        choice = draw(st.integers(0, 11))
        if choice == 0:
            continue  # left out
        body[name] = draw(json_values) if choice == 1 else draw(good)
    if draw(st.integers(0, 5)) == 0:
        body[draw(texts)] = draw(json_values)
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)  # not even an object
    return body


# --- writes -------------------------------------------------------------------------------

@HYPOTHESIS
@given(data=st.data())
def test_a_generated_answer_is_saved_or_refused_without_a_write(api, data):
    item = data.draw(st.sampled_from(api["items"]))
    body = data.draw(bodies(ANSWER_FIELDS))
    before = digest()
    response = send(api, "put", f"/api/reviews/{REVIEW}/answers/{item}", json.dumps(body))
    assert_answered_well(response, before)


@HYPOTHESIS
@given(data=st.data())
def test_a_generated_decision_is_saved_or_refused_without_a_write(api, data):
    key = data.draw(st.sampled_from(api["keys"]))
    progress = data.draw(st.booleans())
    body = data.draw(bodies(PROGRESS_FIELDS if progress else DECISION_FIELDS))
    before = digest()
    path = f"/api/reviews/{REVIEW}/plan/{key}" + ("/progress" if progress else "")
    assert_answered_well(send(api, "post", path, json.dumps(body)), before)


RAW = [b"", b"{", b"null", b"[]", b'"x"', b"{\"version\": NaN}", b"{\"version\": Infinity}",
       b"{\"version\": 1e999999}", b"{\"version\": 0, \"answer\": \"yes\", \"answer\": 5}",
       b"\xff\xfe{\x00}\x00",
       b"\xef\xbb\xbf{\"version\": 0}", b"{\"version\": \"0\"}", b"{\"a\": \"\\ud800\"}",
       b"[" * 50_000 + b"]" * 50_000, b"{\"version\": 0, \"notes\": \"\x00\"}",
       b"version=0&answer=yes", b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"]
CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=x", "application/json; charset=latin-1",
                 "application/json; charset=utf-16", "application/xml", ""]


@HYPOTHESIS
@given(body=st.sampled_from(RAW) | st.binary(max_size=200),
       content_type=st.sampled_from(CONTENT_TYPES),
       where=st.sampled_from(["answers/SYS-REG-01", "plan/{key}", "plan/{key}/progress"]))
def test_a_malformed_body_is_refused_in_the_one_error_shape(api, body, content_type, where):
    before = digest()
    path = f"/api/reviews/{REVIEW}/" + where.format(key=api["keys"][0])
    method = "put" if where.startswith("answers") else "post"
    response = send(api, method, path, body, content_type=content_type)
    assert_answered_well(response, before)
    assert response.status_code != 200


# --- reads, parameters and headers ----------------------------------------------------------

LISTS = ["/api/jurisdictions", "/api/reviews", f"/api/reviews/{REVIEW}/answers",
         f"/api/reviews/{REVIEW}/measures", f"/api/reviews/{REVIEW}/indicators",
         f"/api/reviews/{REVIEW}/consultation"]
PARAMS = ["limit", "offset", "jurisdiction", "round", "status", "domain", "indicator",
          "consultation", "format", "limit[]"]
param_values = st.one_of(texts, st.integers(-(2**70), 2**70).map(str),
                         st.sampled_from(["1e3", "0x10", "-0", "NaN", "", "50;DROP",
                                          "00000000-0000-0000-0000-000000000000"]))


@HYPOTHESIS
@given(path=st.sampled_from(LISTS),
       params=st.dictionaries(st.sampled_from(PARAMS), param_values, max_size=4))
@example(path="/api/reviews", params={"limit": "9" * 5000})
@example(path=f"/api/reviews/{REVIEW}/consultation", params={"consultation": "\x00"})
def test_hostile_query_parameters_get_a_documented_answer(api, path, params):
    clean = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
             for k, v in params.items()}
    assert_answered_well(send(api, "get", path + "?" + _query(clean)))


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


@HYPOTHESIS
@given(authorization=st.one_of(st.just("Bearer {token}"), texts, st.sampled_from(
           ["Bearer", "Bearer ", "Bearer acs_", "Basic dXNlcjpwYXNz", "bearer {token}",
            "Bearer {token} extra", "Bearer {token}\x00", "Bearer " + "a" * 10_000,
            "Token {token}", "Bearer\t{token}"])),
       language=st.one_of(texts, st.sampled_from(["fr", "de;q=0.9", "*", "zz-ZZ",
                                                  "fr;q=NaN", "en-" + "x" * 500])),
       path=st.sampled_from(["/api/reviews", f"/api/reviews/{REVIEW}",
                             "/api/reviews/../../admin", "/api/%00", "/api/reviews/XA-2026%0A"]))
def test_hostile_headers_get_a_documented_answer(api, authorization, language, path):
    value = authorization.replace("{token}", api["token"])
    headers = {"HTTP_ACCEPT_LANGUAGE": _latin1(language), "HTTP_AUTHORIZATION": _latin1(value)}
    assert_answered_well(send(api, "get", path, **headers))


def _latin1(value: str) -> str:
    """What can travel in an HTTP header (WSGI gives headers as latin-1 text)."""
    return value.encode("latin-1", "replace").decode("latin-1")
