"""Answers through the API: read item by item; saved as the web form saves them, with the
same checks, versions, lock of final reviews and audit trail."""

import pytest

from acsreview.web.reviews.models import Answer, AuditEvent, Status

from .api_client import as_api, assert_error

pytestmark = pytest.mark.django_db

URL = "/api/reviews/XA-2026/answers"
CHOICE, OPEN, PRINCIPLE = "SYS-REG-01", "SYS-REG-06", "BP-01"


def good(**extra):
    return {"version": 0, "answer": "partly", "evidence": "Law 12/2020, art. 4",
            "sources": [{"title": "Law 12/2020", "url": "https://example.org/law",
                         "year": 2020}],
            "confidence": "high"} | extra


def test_every_item_is_listed_with_its_answer_and_version(cast, client, instrument):
    Answer.objects.create(review=cast.xa_review, item_id=CHOICE, answer="no", version=3)
    body = as_api(client, cast.xa_lead).get(URL, limit=200).json()
    ids = [i["item_id"] for i in body["items"]]
    questions = [q.id for lv in instrument.levels for d in lv.domains for q in d.questions]
    assert ids == questions + [p.id for p in instrument.principles]
    assert body["count"] == len(ids)
    first = body["items"][0]
    assert first["item_id"] == CHOICE and first["answer"] == "no" and first["version"] == 3
    assert first["kind"] == "question" and first["domain_id"] == "SYS-REG"
    assert first["severity"] == 2 and first["effective_severity"] == 2  # "no" where yes helps
    assert first["label"]
    untouched = next(i for i in body["items"] if i["item_id"] == OPEN)
    assert untouched["version"] == 0 and untouched["answer_type"] == "text"
    assert untouched["severity"] is None


@pytest.mark.parametrize("domain", ["SYS\x00", "a" * 41, "<script>"])
def test_a_bad_domain_filter_is_422(cast, client, domain):
    error = assert_error(as_api(client, cast.xa_lead).get(URL, domain=domain), 422)
    assert list(error["fields"]) == ["domain"]


def test_answers_are_paged_and_filtered_by_domain(cast, client):
    api = as_api(client, cast.xa_lead)
    page = api.get(URL, limit=5, offset=5).json()
    assert page["count"] > 80 and len(page["items"]) == 5
    assert page["items"][0]["item_id"] == OPEN
    domain = api.get(URL, domain="SYS-REG").json()
    assert {i["domain_id"] for i in domain["items"]} == {"SYS-REG"} and domain["count"] == 6
    principles = api.get(URL, domain="principles").json()
    assert {i["kind"] for i in principles["items"]} == {"principle"}


def test_a_contributor_saves_an_answer_and_the_audit_trail_says_so(cast, client):
    response = as_api(client, cast.xa_contributor).put(f"{URL}/{CHOICE}", good())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 1 and body["answer"] == "partly" and body["severity"] == 1
    assert body["updated_by"] == cast.xa_contributor.email
    assert body["sources"] == [{"title": "Law 12/2020", "url": "https://example.org/law",
                                "year": 2020}]
    stored = Answer.objects.get(review=cast.xa_review, item_id=CHOICE)
    assert stored.answer == "partly" and stored.confidence == "high"
    event = AuditEvent.objects.get(review=cast.xa_review, object_id=CHOICE)
    assert event.user == cast.xa_contributor and event.after["answer"] == "partly"


def test_an_open_item_and_a_principle_are_saved_too(cast, client):
    api = as_api(client, cast.xa_lead)
    text = api.put(f"{URL}/{OPEN}", {"version": 0, "text": "Courts rarely refer."}).json()
    assert text["text"] == "Courts rarely refer." and text["answer"] == ""
    principle = api.put(f"{URL}/{PRINCIPLE}", {"version": 0, "answer": "yes"}).json()
    assert principle["kind"] == "principle" and principle["severity"] == 0


def test_a_stale_version_is_a_conflict_with_the_current_answer(cast, client):
    lead, contributor = as_api(client, cast.xa_lead), as_api(client, cast.xa_contributor)
    assert lead.put(f"{URL}/{CHOICE}", good(answer="yes")).status_code == 200
    response = contributor.put(f"{URL}/{CHOICE}", good(answer="no"))  # still version 0
    error = assert_error(response, 409, "conflict")
    assert error["current"]["version"] == 1 and error["current"]["answer"] == "yes"
    assert error["current"]["updated_by"] == cast.xa_lead.email
    assert Answer.objects.get(item_id=CHOICE).answer == "yes"  # nothing overwritten
    # saving again from the current version replaces it knowingly
    again = contributor.put(f"{URL}/{CHOICE}", good(answer="no", version=1))
    assert again.status_code == 200 and again.json()["version"] == 2


@pytest.mark.parametrize("body, field", [
    (good(answer="maybe"), "answer"),
    (good(severity_override=1), "override_justification"),
    (good(severity_override=3, override_justification="x"), "severity_override"),
    (good(confidence="total"), "confidence"),
    (good(colour="red"), "colour"),
    (good(evidence="nul\x00byte"), "evidence"),
    (good(notes="\ud800"), "notes"),
    (good(evidence="x" * 20001), "evidence"),
    (good(sources=[{"title": "A", "url": "javascript:alert(1)"}]), "sources.0.url"),
    (good(sources=[{"url": "https://example.org"}]), "sources.0.title"),
    (good(sources=[{"title": str(i)} for i in range(6)]), "sources"),
    (good(version=-1), "version"),
    ({"answer": "yes"}, "version"),
    (good(text="prose"), "text"),
])
def test_a_bad_body_is_422_naming_the_field_and_writes_nothing(cast, client, body, field):
    response = as_api(client, cast.xa_lead).put(f"{URL}/{CHOICE}", body)
    error = assert_error(response, 422, "invalid")
    assert field in error["fields"], error
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(object_type="answer").exists()


def test_an_open_question_takes_no_choice(cast, client):
    response = as_api(client, cast.xa_lead).put(f"{URL}/{OPEN}", good())
    assert "answer" in assert_error(response, 422)["fields"]


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", "\"yes\"", "{\"version\": 0,"])
def test_a_body_that_is_not_an_object_is_refused_in_the_standard_shape(cast, client, raw):
    response = as_api(client, cast.xa_lead).put(f"{URL}/{CHOICE}", raw)
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)
    assert not Answer.objects.exists()


def test_a_viewer_may_not_write(cast, client):
    api = as_api(client, cast.xb_viewer)
    assert api.get("/api/reviews/XB-2026/answers").status_code == 200
    assert_error(api.put(f"/api/reviews/XB-2026/answers/{CHOICE}", good()), 403, "forbidden")
    # refused before the body is even read
    assert_error(api.put(f"/api/reviews/XB-2026/answers/{CHOICE}", "{}"), 403)
    assert not Answer.objects.exists()


def test_another_jurisdictions_review_cannot_be_written_or_seen(cast, client):
    api = as_api(client, cast.xa_lead)
    assert_error(api.put(f"/api/reviews/XB-2026/answers/{CHOICE}", good()), 404, "not_found")
    assert_error(api.put(f"/api/reviews/XB-2026/answers/{CHOICE}", "junk"), 404)
    assert not Answer.objects.exists()


def test_an_unknown_item_is_not_found(cast, client):
    assert_error(as_api(client, cast.xa_lead).put(f"{URL}/NOPE-01", good()), 404)
    assert not Answer.objects.exists()


def test_a_final_review_takes_no_answer(cast, client):
    cast.xa_review.status = Status.FINAL
    cast.xa_review.save()
    api = as_api(client, cast.xa_lead)
    assert api.get(URL).status_code == 200
    assert_error(api.put(f"{URL}/{CHOICE}", good()), 403, "review_final")
    assert not Answer.objects.exists()


def test_a_review_finalised_during_the_request_takes_no_answer(cast, client, monkeypatch):
    """The service's own check, under the lock, answers like the early one."""
    from acsreview.web.api import auth

    cast.xa_review.status = Status.FINAL
    cast.xa_review.save()
    original = auth.get_review

    def as_loaded_before_it_was_finalised(*args, **kwargs):
        review, role = original(*args, **kwargs)
        review.status = Status.VALIDATION
        return review, role

    monkeypatch.setattr(auth, "get_review", as_loaded_before_it_was_finalised)
    assert_error(as_api(client, cast.xa_lead).put(f"{URL}/{CHOICE}", good()), 403,
                 "review_final")
    assert not Answer.objects.exists()


@pytest.mark.parametrize("raw, status", [
    ("{\"version\": 0, \"evidence\": \"" + "x" * 3_000_000 + "\"}", 413),
    ("[" * 100_000 + "]" * 100_000, 400),
    ("\xff\xfe", 400),
    ("{\"version\": 1e400}", 422),
    ("{\"version\": 0, \"sources\": {\"title\": \"A\"}}", 422),
    ("{\"version\": 0, \"due_date\": \"2026-01-01\"}", 422),
])
def test_hostile_bodies_get_an_error_never_a_write(cast, client, raw, status):
    response = as_api(client, cast.xa_lead).put(f"{URL}/{CHOICE}", raw)
    assert_error(response, status)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("item", ["%00", "SYS-REG-01%00", "x" * 300, "..", "%F0%9F%92%A9"])
def test_hostile_item_ids_are_not_found(cast, client, item):
    assert_error(as_api(client, cast.xa_lead).put(f"{URL}/{item}", good()), 404)
