"""Who is asking, and may they: a token, then (for a review's endpoints) their role.

``Authorization: Bearer <token>``; nothing else authenticates (no session cookie, hence
no CSRF to guard against). A review's endpoints check the person's role in the review
here, before the request's data is even read, with the web's own rules
(:mod:`acsreview.web.reviews.access`): a review you may not read is 404, as if it did not
exist; one you may read but not change is 403; a final review takes no change (403,
code ``review_final``).
"""

from __future__ import annotations

import re

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from acsreview.web.reviews.access import READ, Forbidden, get_review

from . import schemas, tokens
from .errors import ApiError

SLUG = re.compile(schemas.SLUG)


class TokenAuth(HttpBearer):
    """A valid token; with ``need``, a role in the review of the path's ``slug`` too.

    One class for every operation, so that OpenAPI shows one security scheme.
    """

    def __init__(self, need=None, *, write: bool = False):
        super().__init__()
        self.need = need
        self.write = write

    def __call__(self, request):
        user = super().__call__(request)
        if user is None:
            return None
        request.user = user  # never the session's: the API knows only tokens
        if self.need is not None:
            self.check_review(request, user)
        return user

    def authenticate(self, request, token):
        return tokens.authenticate(token.strip())

    def check_review(self, request, user) -> None:
        slug = (request.resolver_match.kwargs if request.resolver_match else {}).get("slug", "")
        if not SLUG.fullmatch(slug):
            raise Http404
        try:
            review, role = get_review(user, slug, self.need)
        except Forbidden:
            raise ApiError(403, _("Your role in this review does not allow this.")) from None
        if self.write and review.is_final:
            raise ApiError(403, _("This review is final: it is read-only."),
                           code="review_final")
        request.review, request.role = review, role


token = TokenAuth()


def review(need=READ, *, write: bool = False) -> TokenAuth:
    return TokenAuth(need, write=write)
