"""Calling the REST API in tests: a person's token, JSON in and out."""

from __future__ import annotations

import json


class ApiClient:
    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, **self.headers)

    def put(self, path: str, data):
        return self.client.put(path, _body(data), content_type="application/json",
                               **self.headers)

    def post(self, path: str, data):
        return self.client.post(path, _body(data), content_type="application/json",
                                **self.headers)


def _body(data) -> str:
    return data if isinstance(data, str) else json.dumps(data)


def token_for(user) -> str:
    from acsreview.web.api.tokens import issue

    return issue(user)[1]


def as_api(client, user=None) -> ApiClient:
    """The API as ``user`` (with a new token of theirs), or with no token at all."""
    return ApiClient(client, token_for(user) if user is not None else None)


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The response is the API's one error body, with this status (and code)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) <= {"code", "message", "fields", "current"}
    assert error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error
