"""The respondents' side of a consultation: starting, resuming, saving and submitting.

Nothing here stores who a respondent is. A response is found again only through the
random resume key in the respondent's cookie, of which the database keeps a SHA-256 hash.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acsreview.core.instrument import Answer, AnswerType, Instrument, Question
from acsreview.core.instrument.select import field_name, for_group
from acsreview.web.instruments import app_library

from ..models import Link, Response, Source
from . import visit as sql

RESUME_COOKIE = "acs_resume"
RESUME_DAYS = 30
ANSWERS = frozenset(a.value for a in Answer)
MAX_TEXT = 5000

# Why a link refuses respondents (the closed page explains each).
LINK_CLOSED = "link_closed"
PAST_CLOSE = "past_close"
FULL = "full"
REVIEW_FINAL = "review_final"


@dataclass(frozen=True)
class Page:
    number: int
    level_label: str
    domain_id: str
    domain_label: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Survey:
    key: tuple[str, str, str, str]  # (instrument id, version, language, group)
    instrument: Instrument  # localized, cut down to the group
    pages: tuple[Page, ...]
    group_label: str
    group_description: str
    answer_labels: dict[str, str]

    @property
    def question_count(self) -> int:
        return sum(len(p.questions) for p in self.pages)

    def minutes(self) -> int:
        """A rough duration: a third of a minute per choice, a minute per open item."""
        questions = [q for p in self.pages for q in p.questions]
        texts = sum(q.answer_type == AnswerType.TEXT for q in questions)
        return max(5, round((len(questions) - texts) / 3 + texts))


@lru_cache(maxsize=256)
def _survey(instrument_id: str, version: str, lang: str, group: str) -> Survey:
    library = app_library()
    inst = library.get(instrument_id, version)
    if lang != "en" and lang in library.languages(inst):
        inst = library.localized(inst, lang)
    groups = {g.id: g for g in inst.stakeholder_groups}
    cut = for_group(inst, group)
    pages, number = [], 0
    for level in cut.levels:
        for domain in level.domains:
            number += 1
            pages.append(Page(number, level.label, domain.id, domain.label,
                              tuple(domain.questions)))
    return Survey((instrument_id, version, lang, group), cut, tuple(pages),
                  groups[group].label, groups[group].description,
                  {o.id.value: o.label for o in inst.answer_options})


def survey_of(link: Link, lang: str) -> Survey:
    """The questions of ``link``'s group, by page (one domain a page), in ``lang``."""
    review = link.consultation.review
    return _survey(review.instrument_id, review.instrument_version, lang, link.group)


def languages_of(link: Link) -> list[str]:
    return list(link.consultation.languages) or ["en"]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def refusal(link: Link, now=None) -> str | None:
    """Why ``link`` takes no answers now, or None while it is open."""
    consultation = link.consultation
    if consultation.review.is_final:
        return REVIEW_FINAL
    if not link.is_open:
        return LINK_CLOSED
    if consultation.closes_at and consultation.closes_at <= (now or timezone.now()):
        return PAST_CLOSE
    if consultation.max_responses is not None and _submitted(link) >= consultation.max_responses:
        return FULL
    return None


def _submitted(link: Link) -> int:
    return sql.submitted(link.consultation_id, link.group)


def visit(token: str, key: str | None, with_answers=False) -> sql.Visit | None:
    """The link of ``token`` (with its consultation, review and jurisdiction) and the
    response whose resume key is ``key`` (from the cookie), if any, on that link; with
    ``with_answers``, the response's answers too ({item id: (answer, text)}). In one query.

    None when no link has that token.
    """
    return sql.visit(token, hash_key(key) if key and len(key) <= 100 else None, with_answers)


def start_response(link: Link, language: str) -> tuple[Response, str]:
    """A new web response and its resume key (for the cookie; only its hash is stored)."""
    key = secrets.token_urlsafe(32)
    response = Response.objects.create(
        consultation_id=link.consultation_id, group=link.group, source=Source.WEB,
        instance_id=uuid.uuid4().hex, resume_key_hash=hash_key(key), language=language)
    return response, key


def read_page(questions, data) -> tuple[dict[str, tuple[str, str]], dict[str, str], dict]:
    """The answers posted for a page: ({item: (answer, text)}, {item: error}, raw values)."""
    values, errors, raw = {}, {}, {}
    for q in questions:
        value = data.get(field_name(q.id), "")
        raw[q.id] = value
        if q.answer_type == AnswerType.TEXT:
            value = value.strip()
            if "\x00" in value:
                errors[q.id] = _("This answer contains a character that cannot be saved.")
            elif len(value) > MAX_TEXT:
                errors[q.id] = _("Please keep this answer under %(max)s characters "
                                 "(it has %(n)s).") % {"max": MAX_TEXT, "n": len(value)}
            elif value:
                values[q.id] = ("", value)
        elif value:
            if value in ANSWERS:
                values[q.id] = (value, "")
            else:
                errors[q.id] = _("Choose one of the answers offered.")
    return values, errors, raw


def save_page(response: Response, questions, data) -> tuple[dict[str, str], dict]:
    """Save one page: upsert the answers given, drop those cleared; reject invalid rows.

    Returns the field errors (by item id) and the raw posted values.
    """
    values, errors, raw = read_page(questions, data)
    cleared = [q.id for q in questions if q.id not in values and q.id not in errors]
    sql.save(response.pk, values, cleared)
    return errors, raw


def resume_page(response: Response, survey: Survey) -> int | None:
    """Where a returning respondent left off: the page after the last one answered.

    None when the last page has answers: the respondent then goes to the review page.
    """
    answered = sql.answers(response.pk).keys()
    last = 0
    for page in survey.pages:
        if any(q.id in answered for q in page.questions):
            last = page.number
    if last == len(survey.pages) and last:
        return None
    return last + 1


def submit(link: Link, response: Response) -> str | None:
    """Mark ``response`` submitted, once. Returns a refusal reason, or None when done."""
    consultation = link.consultation
    if consultation.max_responses is None:  # one statement: no transaction needed
        _mark_submitted(response)
        return None
    with transaction.atomic():
        # One submission at a time per group, so the cap is never overshot.
        list(Link.objects.select_for_update().filter(pk=link.pk).values_list("pk"))
        if _submitted(link) >= consultation.max_responses:
            return FULL
        _mark_submitted(response)
    return None


def _mark_submitted(response: Response) -> None:
    Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now())
