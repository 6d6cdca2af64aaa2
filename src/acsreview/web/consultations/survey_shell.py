"""Survey pages inside base.html, without rendering base.html for every request.

base.html (head, navigation, footer with the language form) costs more to render than a
survey page's own content, and respondents load many pages. For an anonymous visitor with
no pending messages it comes out the same for every request in a language, for a demo
review or not, under a script prefix, except in four places: the page's title and content,
the CSRF token and the page's path (in the language form). So it is rendered once, through
consultations/survey_base.html as a full rendering would be, with markers in those places:
the "shell". Each page then is the shell with the markers replaced.

The shell is trusted only after it has reproduced a full rendering exactly, on a later
request than the one it was made on; if it ever differs (base.html came to show something
else of each request, say) its key is rendered in full from then on. A shell is also
never made if base.html reads of the request anything but its path. Signed-in visitors
and pending messages are always rendered in full, as are all pages after a setting changes.
"""

from __future__ import annotations

import logging
import re

from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

WRAPPER = "consultations/survey_base.html"
# NUL never occurs in a template or a page, and escaping leaves it alone.
_PLACES = ("title", "content", "csrf_token", "path")
_MARK = {place: f"\x00{place}\x00" for place in _PLACES}
_SPLIT = re.compile("\x00(" + "|".join(_PLACES) + ")\x00")


class _Refused(Exception):  # noqa: N818 - raised through the template engine, never caught
    """base.html read something of the request that would differ between requests."""

    silent_variable_failure = False  # the template engine must let it through


class _ShellRequest:
    """The request as base.html sees it while the shell is made: its path is a marker."""

    def get_full_path(self):
        return _MARK["path"]

    def __getattr__(self, name):
        raise _Refused(name)


class _Shell:
    def __init__(self, html: str):
        self.parts = _SPLIT.split(html)  # text, place, text, place, ..., text
        self.verified = False

    def fill(self, values: dict[str, str]) -> str:
        parts = self.parts.copy()
        for i in range(1, len(parts), 2):
            parts[i] = values[parts[i]]
        return "".join(parts)


_shells: dict[tuple, _Shell | None] = {}  # None: render that key in full


def _clear(**kwargs):
    _shells.clear()


setting_changed.connect(_clear, dispatch_uid="acsreview-survey-shell")


def render(request, template: str, lang: str, title, context: dict, *, review,
           status: int = 200) -> HttpResponse:
    """``template`` (a page's content) in base.html, in ``lang``.

    ``title``: the parts of the page's title, joined by " · " (translated in ``lang``);
    ``review``: the review the survey belongs to (base.html marks a demo's pages).
    """
    with translation.override(lang):
        token = get_token(request)
        content = render_to_string(template, context | {"csrf_token": token})
        title = " · ".join(str(part) for part in title)
        html = _page(request, lang, title, content, token, review)
    reply = HttpResponse(html, status=status)
    reply["Content-Language"] = lang
    return reply


def _page(request, lang, title, content, token, review) -> str:
    def full():
        return render_to_string(WRAPPER, {"title": title, "content": content,
                                          "csrf_token": token, "review": review}, request)

    # What base.html reads of each visitor, read the same way.
    if request.user.is_authenticated or get_messages(request):
        return full()
    key = (lang, review.is_demo, get_script_prefix())
    if key not in _shells:
        _shells[key] = _made(request, review)
        return full()
    shell = _shells[key]
    if shell is None:
        return full()
    html = shell.fill({"title": conditional_escape(title), "content": content,
                       "csrf_token": conditional_escape(token),
                       "path": conditional_escape(request.get_full_path())})
    if not shell.verified:
        rendered = full()
        if html != rendered:
            logger.warning("The survey page shell for %s differs from base.html: not used.",
                           key)
            _shells[key] = None
            return rendered
        shell.verified = True
    return html


def _made(request, review) -> _Shell | None:
    try:
        html = render_to_string(WRAPPER, {
            "title": _MARK["title"], "content": mark_safe(_MARK["content"]),  # noqa: S308
            "csrf_token": _MARK["csrf_token"], "review": review,
            "request": _ShellRequest()}, request)
    except _Refused as refused:
        logger.warning("base.html reads request.%s: survey pages are rendered in full.",
                       refused)
        return None
    return _Shell(html)
