"""What every review view shares: sign-in, the permission check, the instrument."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language

from acsreview.core.instrument import AnswerType, iter_questions
from acsreview.web.instruments import localized_instrument_of

from ..access import READ, Forbidden, get_review


def review_view(need=READ):
    """Sign-in required; the review by slug; 404 when unseen, 403 when seen but not allowed."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            try:
                review, role = get_review(request.user, slug, need)
            except Forbidden:
                raise PermissionDenied from None
            return view(request, review, role, *args, **kwargs)

        return wrapper

    return decorate


def instrument_for(request, review):
    return localized_instrument_of(review, get_language())


def is_answered(answer, open_text: bool) -> bool:
    if answer is None:
        return False
    return bool(answer.text.strip()) if open_text else bool(answer.answer)


def domain_progress(instrument, answers: dict) -> list[dict]:
    """Per domain: how many of its items have an answer, for the progress bars."""
    rows = []
    for level in instrument.levels:
        for domain in level.domains:
            done = sum(is_answered(answers.get(q.id), q.answer_type == AnswerType.TEXT)
                       for q in domain.questions)
            rows.append({"level": level, "domain": domain, "answered": done,
                         "total": len(domain.questions),
                         "carried": sum(1 for q in domain.questions
                                        if answers.get(q.id) and answers[q.id].carried_over)})
    return rows


def all_item_ids(instrument) -> set[str]:
    return {q.id for q in iter_questions(instrument)} | {p.id for p in instrument.principles}
