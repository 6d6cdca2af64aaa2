"""The respondents' anonymous survey at /c/<token>/: no sign-in, no session, no tracking.

A respondent is recognised only by the random resume key in an HttpOnly cookie scoped to
their link. Every page works as a plain HTML form, without JavaScript.

Respondents make many requests (two a page), so each is kept cheap: one query finds the
link and the response (`svc.visit`), and a page's questions are rendered from markup built
once per question and answer (instruments never change within a version).
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from acsreview.core.instrument import AnswerType
from acsreview.core.instrument.select import field_name

from ... import ratelimit
from .. import survey_shell
from ..models import Link
from ..services import responses as svc

ALREADY_SUBMITTED = 200
CLOSED = 410
TOO_MANY = 429
QUESTION_TEMPLATE = "consultations/survey_question.html"
SURVEY = _("Stakeholder survey")


def _visit(request, token: str, with_answers=False):
    """The link of ``token`` and the respondent's response on it (None if none), with its
    answers if asked; 404 for an unknown token."""
    found = svc.visit(token, request.COOKIES.get(svc.RESUME_COOKIE), with_answers)
    if found is None:
        raise Http404("No link has this token.")
    return found


def _url(name: str, *args) -> str:
    return _reversed(get_script_prefix(), get_language(), name, args)


@lru_cache(maxsize=8192)
def _reversed(prefix: str, language: str | None, name: str, args: tuple) -> str:
    """``reverse``, once per URL, script prefix and language: a link's URLs never change."""
    return reverse(name, args=args)


def _redirect(name: str, *args) -> HttpResponseRedirect:
    return HttpResponseRedirect(_url(name, *args))


def _language(link: Link, wanted: str | None) -> str:
    languages = svc.languages_of(link)
    for lang in (wanted, (get_language() or "").split("-")[0]):
        if lang in languages:
            return lang
    return languages[0]


def _render(request, template, lang, title, context, status=200):
    """``template``, a survey page's content, in base.html; ``title``: the parts of its title.
    """
    return survey_shell.render(request, f"consultations/{template}", lang, title, context,
                               review=context["review"], status=status)


def _base(link: Link, lang: str) -> dict:
    consultation = link.consultation
    return {"link": link, "consultation": consultation, "review": consultation.review,
            "survey": svc.survey_of(link, lang), "lang": lang,
            "start_url": _url("survey:start", link.token)}


def _closed(request, link, reason, lang):
    return _render(request, "survey_closed.html", lang, [_("This survey is closed")],
                   _base(link, lang) | {"reason": reason}, status=CLOSED)


def _already(request, link, response):
    return _render(request, "survey_done.html", response.language, [_("Thank you"), SURVEY],
                   _base(link, response.language) | {"already": True},
                   status=ALREADY_SUBMITTED)


def _resume(link, response, survey):
    number = svc.resume_page(response, survey)
    if number is None:
        return _redirect("survey:review", link.token)
    return _redirect("survey:page", link.token, number)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def start(request, token):
    """The introduction and the language choice; Start creates the response."""
    visit = _visit(request, token)
    link, response = visit.link, visit.response
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
        wait = ratelimit.hit("survey-start", link.token, request,
                             limit=settings.ACSREVIEW_SURVEY_RATE, window=3600)
        if wait is not None:
            return _too_many(request, link, lang, wait)
        response, key = svc.start_response(link, lang)
        reply = _redirect("survey:page", link.token, 1)
        reply.set_cookie(svc.RESUME_COOKIE, key, max_age=svc.RESUME_DAYS * 24 * 3600,
                         path=_url("survey:start", link.token), httponly=True,
                         samesite="Lax", secure=request.is_secure())
        return reply
    languages = [(code, _language_name(code)) for code in svc.languages_of(link)]
    return _render(request, "survey_start.html", lang, [SURVEY], _base(link, lang) | {
        "languages": languages, "pages": len(survey.pages),
        "questions": survey.question_count, "minutes": survey.minutes()})


def _too_many(request, link, lang, wait: int):
    """429: this address started too many responses on this link lately (docs/deployment.md,
    "Security"); nothing is stored."""
    minutes = max(1, -(-wait // 60))
    reply = _render(request, "survey_too_many.html", lang, [_("Please try again later"), SURVEY],
                    _base(link, lang) | {"minutes": minutes}, status=TOO_MANY)
    reply["Retry-After"] = str(wait)
    return reply


def _language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return code


def _question(q, survey, value, error=None) -> str:
    """One question's markup, from the template, with ``value`` as its answer."""
    name = field_name(q.id)
    # `help` is for whoever answers; a question's `note` is the lead's alone, never shown here
    described = " ".join(([f"{name}-help"] if q.help else [])
                         + ([f"{name}-error"] if error else []))
    return render_to_string(QUESTION_TEMPLATE, {
        "q": q, "help": q.help, "name": name, "open": q.answer_type == AnswerType.TEXT,
        "value": value,
        "options": survey.answer_labels.items(), "error": error, "describedby": described})


# Where the answer goes in an open question's markup: rendered there once, then split at
# (no question's text or help contains it).
_MARK = "\x00"
_built_pages: dict[tuple, tuple] = {}


def _built(page, survey) -> tuple:
    """The markup of ``page``'s questions without errors, built on first use: for a choice,
    one string for each answer ("" for none); for an open question, the parts before and
    after the answer."""
    key = (survey.key, page.number)
    built = _built_pages.get(key)
    if built is None:
        if len(_built_pages) >= 1024:  # many instruments in one process: start over
            _built_pages.clear()
        built = []
        with translation.override(survey.key[2]):
            for q in page.questions:
                if q.answer_type == AnswerType.TEXT:
                    head, tail = _question(q, survey, _MARK).split(_MARK)
                    built.append((q.id, True, (head, tail)))
                else:
                    built.append((q.id, False, {v: _question(q, survey, v)
                                                for v in ["", *survey.answer_labels]}))
        built = _built_pages[key] = tuple(built)
    return built


def _questions(page, survey, stored) -> str:
    """The page's questions showing the ``stored`` answers ({item: (answer, text)})."""
    html = []
    for item, open_text, markup in _built(page, survey):
        answer = stored.get(item)
        if open_text:
            head, tail = markup
            html += [head, conditional_escape(answer[1] if answer else ""), tail]
        else:
            html.append(markup.get(answer[0] if answer else "", markup[""]))
    return mark_safe("".join(html))  # noqa: S308 - markup from the template, answers escaped


def _questions_with_errors(page, survey, raw, errors) -> str:
    """The page's questions showing what was posted (``raw``) and why it was refused."""
    return mark_safe("".join(_question(q, survey, raw.get(q.id, ""), errors.get(q.id))  # noqa: S308
                             for q in page.questions))


def _ongoing(request, token, *, with_answers):
    """The visit of a respondent in the middle of a survey, or the reply that ends it here."""
    visit = _visit(request, token, with_answers=with_answers)
    link, response = visit.link, visit.response
    if response is None:
        return visit, _redirect("survey:start", link.token)
    if response.submitted_at:
        return visit, _already(request, link, response)
    reason = svc.refusal(link)
    if reason:
        return visit, _closed(request, link, reason, response.language)
    return visit, None


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def page(request, token, page):
    """One domain's questions; POST saves them and moves on (or back)."""
    visit, ended = _ongoing(request, token, with_answers=request.method == "GET")
    if ended:
        return ended
    link, response = visit.link, visit.response
    lang = response.language
    survey = svc.survey_of(link, lang)
    pages = survey.pages
    if not 1 <= page <= len(pages):
        raise Http404
    current = pages[page - 1]
    status, error_count = 200, 0
    if request.method == "POST":
        errors, raw = svc.save_page(response, current.questions, request.POST)
        if not errors:
            if "back" in request.POST and page > 1:
                return _redirect("survey:page", link.token, page - 1)
            if page < len(pages):
                return _redirect("survey:page", link.token, page + 1)
            return _redirect("survey:review", link.token)
        questions = _questions_with_errors(current, survey, raw, errors)
        status, error_count = 422, len(errors)
    else:
        questions = _questions(current, survey, visit.answers)
    return _render(request, "survey_page.html", lang, [current.domain_label, SURVEY], {
        "review": link.consultation.review, "page": current, "total": len(pages),
        "action": _url("survey:page", link.token, page), "questions": questions,
        "error_count": error_count, "previous": page - 1 if page > 1 else None},
        status=status)


@never_cache
@csrf_protect
@require_http_methods(["GET"])
def review(request, token):
    """What the respondent answered, page by page, before they submit."""
    visit, ended = _ongoing(request, token, with_answers=True)
    if ended:
        return ended
    link, response = visit.link, visit.response
    lang = response.language
    survey = svc.survey_of(link, lang)
    stored = visit.answers
    sections, answered = [], 0
    for p in survey.pages:
        items = []
        for q in p.questions:
            a = stored.get(q.id)
            if a is None:
                continue
            answer, text = a
            shown = text if q.answer_type == AnswerType.TEXT else survey.answer_labels.get(
                answer, answer)
            items.append({"q": q, "answer": shown})
        answered += len(items)
        sections.append({"page": p, "items": items, "skipped": len(p.questions) - len(items),
                         "url": _url("survey:page", link.token, p.number)})
    return _render(request, "survey_review.html", lang, [_("Check your answers"), SURVEY],
                   _base(link, lang) | {
                       "sections": sections, "answered": answered,
                       "total": survey.question_count,
                       "last_url": _url("survey:page", link.token, len(survey.pages)),
                       "submit_url": _url("survey:submit", link.token)})


@never_cache
@csrf_protect
@require_POST
def submit(request, token):
    """Submit once: a second submit changes nothing and thanks again."""
    visit = _visit(request, token)
    link, response = visit.link, visit.response
    if response is None:
        return _redirect("survey:start", link.token)
    lang = response.language
    if not response.submitted_at:
        reason = svc.refusal(link) or svc.submit(link, response)
        if reason:
            return _closed(request, link, reason, lang)
    return _render(request, "survey_done.html", lang, [_("Thank you"), SURVEY],
                   _base(link, lang) | {"already": False})
