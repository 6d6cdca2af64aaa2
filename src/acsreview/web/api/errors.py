"""One error body for every error the API gives, and the handlers that make it.

Every error, whatever its status, is ``{"error": {"code": ..., "message": ...}}``, with
``fields`` (the field at fault, by name, and what is wrong with it) when the request's
data is the problem, and ``current`` (the version saved meanwhile) on a conflict.
``code`` is stable, for programs; ``message`` is for people, in the request's language.
"""

from __future__ import annotations

import logging
from functools import partial

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from .schemas import Error

logger = logging.getLogger("acsreview.api")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
         429: "throttled", 500: "server_error"}


class ApiError(Exception):
    """Raised by an endpoint: answered with the standard body and ``status``."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 fields: dict[str, str] | None = None, current=None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.fields = fields
        self.current = current


def body(code: str, message: str, *, fields=None, current=None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    if current is not None:
        error["current"] = current
    return {"error": error}


def messages() -> dict[int, str]:
    """The default message of each status, in the request's language."""
    return {
        400: _("The request could not be read."),
        401: _("A valid API token is required: send it as 'Authorization: Bearer <token>'."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        422: _("The request's data is not valid: see fields."),
        429: _("Too many requests: try again later."),
        500: _("Something went wrong on our side; it has been logged."),
    }


def respond(api: NinjaAPI, request, status: int, code: str | None = None,
            message: str | None = None, **extra):
    response = api.create_response(
        request, body(code or CODES[status], message or messages()[status], **extra),
        status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def field_name(loc) -> str:
    """The field an error of ninja's points at: "answer", "sources.0.url", "limit".

    ninja's location starts with where the value came from and, for a body, with the
    name of the endpoint's parameter: neither is a field of the request.
    """
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else []
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        name = field_name(error.get("loc", ()))
        message = str(error.get("msg", _("Not valid.")))
        fields[name] = f"{fields[name]} {message}" if name in fields else message
    return fields


def _api_error(request, exc: ApiError, api):
    return respond(api, request, exc.status, exc.code, exc.message, fields=exc.fields,
                   current=exc.current)


def _validation(request, exc: ValidationError, api):
    return respond(api, request, 422, fields=validation_fields(exc.errors))


def _http_error(request, exc: HttpError, api):
    status = exc.status_code if exc.status_code in CODES else 400
    response = respond(api, request, status)
    if isinstance(exc, Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return response


def _unexpected(request, exc: Exception, api):
    logger.exception("API error on %s %s", request.method, request.path)
    return respond(api, request, 500)


def install(api: NinjaAPI) -> None:
    """Replace ninja's error handlers (each with its own body shape) by ours."""
    handlers = [
        (Exception, _unexpected),
        (Http404, lambda request, exc, api: respond(api, request, 404)),
        (PermissionDenied, lambda request, exc, api: respond(api, request, 403)),
        (SuspiciousOperation, lambda request, exc, api: respond(api, request, 400)),
        (RequestDataTooBig, lambda request, exc, api: respond(api, request, 413)),
        (HttpError, _http_error),
        (AuthenticationError, lambda request, exc, api: respond(api, request, 401)),
        (ValidationError, _validation),
        (ApiError, _api_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, partial(handler, api=api))


def errors(*statuses: int) -> dict:
    """The error responses of an operation, for its OpenAPI description.

    Every operation may answer 401 (no valid token), 422 (a parameter is not valid),
    429 (too many requests) and 500 besides those named.
    """
    return {status: Error for status in sorted({401, 422, 429, 500, *statuses})}


LIST = errors()
REVIEW = errors(403, 404)  # 404: no review you may see; 403: one you may not do this to
WRITE = errors(400, 403, 404, 413)  # 400: not JSON; 413: too large
