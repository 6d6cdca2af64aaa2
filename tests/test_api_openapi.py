"""The API describes itself accurately at /api/openapi.json, serves no page that loads
from a CDN, and answers every error, even Django's own, in one body shape."""

import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import URLPattern, get_resolver

from .api_client import as_api, assert_error

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/jurisdictions"), ("get", "/api/reviews"), ("get", "/api/reviews/{slug}"),
    ("get", "/api/reviews/{slug}/answers"), ("put", "/api/reviews/{slug}/answers/{item_id}"),
    ("get", "/api/reviews/{slug}/measures"), ("get", "/api/reviews/{slug}/indicators"),
    ("get", "/api/reviews/{slug}/consultation"), ("get", "/api/reviews/{slug}/analysis"),
    ("get", "/api/reviews/{slug}/plan"), ("post", "/api/reviews/{slug}/plan/{key}"),
    ("post", "/api/reviews/{slug}/plan/{key}/progress"),
}


@pytest.fixture
def schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def api_routes() -> set[str]:
    """The API's URL patterns, as OpenAPI paths."""
    (api,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/"]
    routes = set()
    for pattern in api.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if route in {"openapi.json", "", "^.*$"}:
            continue
        routes.add("/api/" + route.replace("<", "{").replace(">", "}"))
    return routes


def test_openapi_json_lists_every_operation(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "acsreview API"
    listed = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert listed == OPERATIONS
    assert set(schema["paths"]) == api_routes()


def test_every_operation_declares_its_token_and_its_errors(schema):
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}}
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            assert op["security"] == [{"TokenAuth": []}], where
            assert op["operationId"].isidentifier() and "acsreview" not in op["operationId"]
            responses = op["responses"]
            for status in ("401", "422", "429", "500"):
                assert status in responses, (where, status)
            if "{slug}" in path:
                assert {"403", "404"} <= set(responses), where
            if method != "get":
                assert {"400", "409", "413"} <= set(responses), where
            for status, response in responses.items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                if status.startswith(("4", "5")):
                    assert ref.endswith(("/Error", "Conflict")), (where, status, ref)


def test_the_operation_ids_are_unique(schema):
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_the_error_schema_is_the_one_shape(schema):
    body = schema["components"]["schemas"]["ErrorBody"]
    assert set(body["required"]) == {"code", "message"}
    assert set(body["properties"]) == {"code", "message", "fields"}
    conflict = schema["components"]["schemas"]["AnswerConflictBody"]
    assert "current" in conflict["required"]


def test_no_documentation_page_loads_from_a_cdn(client):
    for path in ("/api/docs", "/api/docs/", "/api/"):
        assert_error(client.get(path), 404, "not_found")


def test_an_unknown_address_under_api_is_a_json_404(cast, client):
    api = as_api(client, cast.xa_lead)
    for path in ("/api/nothing", "/api/reviews/XA-2026/nothing", "/api/reviews/"):
        assert_error(api.get(path), 404, "not_found")


def test_a_method_an_address_does_not_take_is_a_json_405(cast, client):
    api = as_api(client, cast.xa_lead)
    response = api.post("/api/reviews", {})
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    response = client.delete("/api/reviews/XA-2026/answers/SYS-REG-01", **api.headers)
    assert_error(response, 405)
    assert "PUT" in response["Allow"]


def test_an_unexpected_failure_is_a_500_in_the_same_shape(cast, client, monkeypatch):
    from acsreview.web.api import reviews

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(reviews, "visible_reviews", broken)
    response = as_api(client, cast.xa_lead).get("/api/reviews")
    error = assert_error(response, 500, "server_error")
    assert "fire" not in json.dumps(error)  # no internals in the answer


def test_too_many_requests_is_a_429_in_the_same_shape(cast, client):
    cache.clear()
    api = as_api(client, cast.xa_lead)
    with override_settings(NINJA_DEFAULT_THROTTLE_RATES={"user": "2/min", "auth": None,
                                                         "anon": None}):
        assert api.get("/api/reviews").status_code == 200
        assert api.get("/api/reviews").status_code == 200
        response = api.get("/api/reviews")
        assert_error(response, 429, "throttled")
        assert int(response["Retry-After"]) >= 1
        # per person: another is not held back
        assert as_api(client, cast.xb_viewer).get("/api/reviews").status_code == 200
    cache.clear()

