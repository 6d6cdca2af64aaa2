"""The interface language, remembered per person.

Anyone chooses a language at the foot of every page (Django's language cookie). For a
signed-in person the choice is also kept on their account, and applied whenever they sign
in, on any browser: the sign-in (a ``user_logged_in`` receiver) marks the request, and
:func:`remember_language` sets the cookie on that response. Respondents, who never sign in,
keep the cookie alone, and choose their survey's language on its first page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

_SIGNED_IN_LANGUAGE = "_acsreview_signed_in_language"


def _known(code) -> bool:
    return code in dict(settings.LANGUAGES)


@require_POST
def set_language(request):
    """Django's ``set_language``, which also keeps a signed-in person's choice on their
    account; a language the app does not offer is refused (400)."""
    code = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if not _known(code):
        return HttpResponseBadRequest(_("This language is not available."),
                                      content_type="text/plain; charset=utf-8")
    user = request.user
    if user.is_authenticated and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return i18n.set_language(request)


@receiver(user_logged_in, dispatch_uid="acsreview-signed-in-language")
def _apply_on_sign_in(sender, request, user, **kwargs):
    code = getattr(user, "language", "")
    if request is not None and _known(code):
        setattr(request, _SIGNED_IN_LANGUAGE, code)


def remember_language(get_response):
    """Middleware: on the response to a sign-in, the person's language cookie."""

    def middleware(request):
        response = get_response(request)
        code = getattr(request, _SIGNED_IN_LANGUAGE, None)
        if code:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response

    return middleware
