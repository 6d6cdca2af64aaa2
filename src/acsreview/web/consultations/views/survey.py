"""The respondents' anonymous survey at /c/<token>/: no sign-in, no session, no tracking.

A respondent is recognised only by the random resume key in an HttpOnly cookie scoped to
their link. Every page works as a plain HTML form, without JavaScript.
"""

from __future__ import annotations

from functools import lru_cache

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from acsreview.core.instrument import AnswerType
from acsreview.core.instrument.select import field_name

from ..models import Link
from ..services import responses as svc

ALREADY_SUBMITTED = 200
CLOSED = 410


def _link(token: str) -> Link:
    return get_object_or_404(
        Link.objects.select_related("consultation__review__jurisdiction"), token=token)


def _language(link: Link, wanted: str | None) -> str:
    languages = svc.languages_of(link)
    for lang in (wanted, (get_language() or "").split("-")[0]):
        if lang in languages:
            return lang
    return languages[0]


def _render(request, template, lang, context, status=200):
    with translation.override(lang):
        reply = render(request, template, context, status=status)
    reply["Content-Language"] = lang
    return reply


def _base(link: Link, lang: str) -> dict:
    consultation = link.consultation
    return {"link": link, "consultation": consultation, "review": consultation.review,
            "survey": svc.survey_of(link, lang), "lang": lang,
            "start_url": reverse("survey:start", args=[link.token])}


def _closed(request, link, reason, lang):
    return _render(request, "consultations/survey_closed.html", lang,
                   _base(link, lang) | {"reason": reason}, status=CLOSED)


def _already(request, link, response):
    return _render(request, "consultations/survey_done.html", response.language,
                   _base(link, response.language) | {"already": True},
                   status=ALREADY_SUBMITTED)


def _current(request, link):
    return svc.find_response(link, request.COOKIES.get(svc.RESUME_COOKIE))


def _page_url(link, number):
    return reverse("survey:page", args=[link.token, number])


def _resume(link, response, survey):
    number = svc.resume_page(response, survey)
    if number is None:
        return redirect("survey:review", token=link.token)
    return redirect(_page_url(link, number))


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def start(request, token):
    """The introduction and the language choice; Start creates the response."""
    link = _link(token)
    response = _current(request, link)
    if response is not None and response.submitted_at:
        return _already(request, link, response)
    lang = _language(link, request.POST.get("language") if request.method == "POST"
                     else request.GET.get("lang"))
    reason = svc.refusal(link)
    if reason:
        return _closed(request, link, reason, lang)
    survey = svc.survey_of(link, lang)
    if response is not None:
        return _resume(link, response, survey)
    if request.method == "POST":
        response, key = svc.start_response(link, lang)
        reply = redirect(_page_url(link, 1))
        reply.set_cookie(svc.RESUME_COOKIE, key, max_age=svc.RESUME_DAYS * 24 * 3600,
                         path=reverse("survey:start", args=[link.token]), httponly=True,
                         samesite="Lax", secure=request.is_secure())
        return reply
    languages = [(code, _language_name(code)) for code in svc.languages_of(link)]
    return _render(request, "consultations/survey_start.html", lang, _base(link, lang) | {
        "languages": languages, "pages": len(survey.pages),
        "questions": survey.question_count, "minutes": survey.minutes()})


def _language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return code


@lru_cache(maxsize=16384)
def _radio(name: str, value: str, label: str, invalid: bool) -> tuple[str, str]:
    """One radio button with its label, unchecked and checked: built once, not per request
    (a page has dozens; the template engine is slow at that)."""
    extra = ' aria-invalid="true"' if invalid else ""
    return tuple(format_html(
        '<label for="{id}"><input type="radio" name="{name}" value="{value}"{checked}'
        ' id="{id}"{extra}> {label}</label>\n', id=f"{name}-{value}", name=name, value=value,
        checked=mark_safe(checked), extra=mark_safe(extra), label=label)  # noqa: S308
        for checked in ("", " checked"))


def _questions(page, survey, stored, raw=None, errors=None):
    """What the template needs of each question, prepared here."""
    errors = errors or {}
    rows = []
    for q in page.questions:
        name = field_name(q.id)
        open_text = q.answer_type == AnswerType.TEXT
        if raw is not None:
            value = raw.get(q.id, "")
        else:
            answer = stored.get(q.id)
            value = (answer.text if open_text else answer.answer) if answer else ""
        options = "" if open_text else mark_safe("".join(  # noqa: S308 - built by format_html
            _radio(name, v, label, bool(errors.get(q.id)))[v == value]
            for v, label in survey.answer_labels.items()))
        error = errors.get(q.id)
        described = " ".join(([f"{name}-help"] if q.help else [])
                             + ([f"{name}-error"] if error else []))
        rows.append({"q": q, "name": name, "open": open_text, "value": value,
                     "options": options, "error": error, "describedby": described})
    return rows


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def page(request, token, page):
    """One domain's questions; POST saves them and moves on (or back)."""
    link = _link(token)
    response = _current(request, link)
    if response is None:
        return redirect("survey:start", token=link.token)
    if response.submitted_at:
        return _already(request, link, response)
    lang = response.language
    reason = svc.refusal(link)
    if reason:
        return _closed(request, link, reason, lang)
    survey = svc.survey_of(link, lang)
    pages = survey.pages
    if not 1 <= page <= len(pages):
        raise Http404
    current = pages[page - 1]
    status = 200
    if request.method == "POST":
        errors, raw = svc.save_page(response, current.questions, request.POST)
        if not errors:
            if "back" in request.POST and page > 1:
                return redirect(_page_url(link, page - 1))
            if page < len(pages):
                return redirect(_page_url(link, page + 1))
            return redirect("survey:review", token=link.token)
        rows = _questions(current, survey, {}, raw=raw, errors=errors)
        status = 422
    else:
        rows = _questions(current, survey, svc.answers_of(response, [q.id for q in
                                                                    current.questions]))
    return _render(request, "consultations/survey_page.html", lang, _base(link, lang) | {
        "page": current, "total": len(pages), "rows": rows,
        "error_count": sum(1 for r in rows if r["error"]),
        "previous": page - 1 if page > 1 else None}, status=status)


@never_cache
@csrf_protect
@require_http_methods(["GET"])
def review(request, token):
    """What the respondent answered, page by page, before they submit."""
    link = _link(token)
    response = _current(request, link)
    if response is None:
        return redirect("survey:start", token=link.token)
    if response.submitted_at:
        return _already(request, link, response)
    lang = response.language
    reason = svc.refusal(link)
    if reason:
        return _closed(request, link, reason, lang)
    survey = svc.survey_of(link, lang)
    stored = svc.answers_of(response)
    sections, answered = [], 0
    for p in survey.pages:
        items = []
        for q in p.questions:
            a = stored.get(q.id)
            if a is None:
                continue
            shown = a.text if q.answer_type == AnswerType.TEXT else survey.answer_labels.get(
                a.answer, a.answer)
            items.append({"q": q, "answer": shown})
        answered += len(items)
        sections.append({"page": p, "items": items, "skipped": len(p.questions) - len(items)})
    return _render(request, "consultations/survey_review.html", lang, _base(link, lang) | {
        "sections": sections, "answered": answered, "total": survey.question_count,
        "last_page": len(survey.pages)})


@never_cache
@csrf_protect
@require_POST
def submit(request, token):
    """Submit once: a second submit changes nothing and thanks again."""
    link = _link(token)
    response = _current(request, link)
    if response is None:
        return redirect("survey:start", token=link.token)
    lang = response.language
    if not response.submitted_at:
        reason = svc.refusal(link) or svc.submit(link, response)
        if reason:
            return _closed(request, link, reason, lang)
    return _render(request, "consultations/survey_done.html", lang,
                   _base(link, lang) | {"already": False})
