"""The REST API, mounted at /api/: its description is /api/openapi.json (docs/api.md).

Every operation needs a token (``acsreview token EMAIL``) and is throttled per person;
every error has one body shape (:mod:`.errors`), including those Django would otherwise
answer itself: an unknown address under /api/ and a method an address does not take.
No documentation page is served: it would load scripts from a CDN.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpResponseNotAllowed
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.conf import settings as ninja_settings
from ninja.throttling import UserRateThrottle

import acsreview

from . import analysis, answers, consultation, errors, inventory, plan, reviews


class PersonThrottle(UserRateThrottle):
    """So many requests per person (``NINJA_DEFAULT_THROTTLE_RATES["user"]``), read at
    each request so that a change of the setting takes effect without a restart."""

    def allow_request(self, request):
        self.rate = ninja_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        return super().allow_request(request)


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__  # short and stable: "reviews", "save_answer"


api = Api(
    title="acsreview API",
    version=acsreview.__version__,
    description="Reviews of alternatives to coercive sanctions (ACS): jurisdictions, "
                "reviews, answers, the ACS inventory, consultation aggregates (small groups "
                "suppressed), the analysis and the action plan. Authenticate with "
                "'Authorization: Bearer <token>' (`acsreview token EMAIL`). Every error is "
                '{"error": {"code", "message", "fields"?, "current"?}}. See docs/api.md.',
    urls_namespace="api",
    docs_url=None,
    throttle=[PersonThrottle()],
)
errors.install(api)
for module in (reviews, answers, inventory, consultation, analysis, plan):
    api.add_router("", module.router)


def _json_errors(view):
    """Django's own 404 and 405 under /api/, in the API's error body."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return errors.respond(api, request, 404)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = errors.respond(api, request, 405)
            response["Allow"] = allowed
        return response

    return wrapper


def _not_found(request, *args, **kwargs):
    raise Http404


def urlpatterns():
    """The API's URL patterns (each wrapped by :func:`_json_errors`), then a 404 for the
    rest of /api/."""
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_errors(pattern.callback)
    return [*patterns, re_path(r"^.*$", _json_errors(_not_found), name="not_found")]


urls = (urlpatterns(), "api", "api")
