"""The review's answers to its instrument, item by item; saving one, as the web form does.

A save names the version it was made from; if someone saved the item since, nothing is
written and the answer as it is now comes back in a 409 (send its version to replace
it knowingly). Saves go through the web's own service, which locks, checks and records
them in the audit trail.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router

from acsreview.core.instrument import AnswerType
from acsreview.core.scoring import effective_severity, severity
from acsreview.web.reviews.access import EDIT, READ
from acsreview.web.reviews.services import answers as service
from acsreview.web.reviews.services.answers import AnswerConflict as Conflict
from acsreview.web.reviews.services.answers import ReviewLocked
from acsreview.web.reviews.views.common import instrument_for

from .auth import review
from .common import paged
from .errors import REVIEW, WRITE, ApiError
from .schemas import (
    AnswerConflict,
    AnswerIn,
    AnswerOut,
    AnswerPage,
    AnswerQuery,
    SlugPath,
    dump,
)

router = Router(tags=["answers"])
PRINCIPLES = "principles"


def items(instrument) -> list[dict]:
    """Every item of the instrument that takes an answer: its questions, then principles."""
    out = []
    for level in instrument.levels:
        for domain in level.domains:
            for q in domain.questions:
                out.append({"item_id": q.id, "kind": "question", "level_id": level.id,
                            "domain_id": domain.id, "label": q.text,
                            "answer_type": q.answer_type.value,
                            "polarity": q.polarity.value if q.polarity else None})
    for p in instrument.principles:
        out.append({"item_id": p.id, "kind": "principle", "level_id": None, "domain_id": None,
                    "label": p.text, "answer_type": AnswerType.CHOICE.value,
                    "polarity": "facilitator"})
    return out


def _sources(stored) -> list[dict]:
    rows = []
    for s in stored if isinstance(stored, list) else []:
        if isinstance(s, dict) and s.get("title"):
            year = s.get("year")
            rows.append({"title": str(s["title"]), "url": str(s.get("url") or ""),
                         "year": year if isinstance(year, int) else None})
    return rows


def answer_row(item: dict, answer) -> dict:
    """An item with its answer (an empty one, version 0, when never answered)."""
    given = answer.answer if answer else ""
    override = answer.severity_override if answer else None
    return item | {
        "answer": given, "text": answer.text if answer else "",
        "evidence": answer.evidence if answer else "",
        "sources": _sources(answer.sources) if answer else [],
        "confidence": answer.confidence if answer else "",
        "notes": answer.notes if answer else "",
        "severity_override": override,
        "override_justification": answer.override_justification if answer else "",
        "severity": severity(given, item["polarity"]) if given else None,
        "effective_severity": effective_severity(given, item["polarity"], override)
        if given or override is not None else None,
        "carried_over": bool(answer and answer.carried_over),
        "version": answer.version if answer else 0,
        "updated_at": answer.updated_at if answer else None,
        "updated_by": answer.updated_by.email if answer and answer.updated_by else None,
    }


@router.get("/reviews/{slug}/answers", response={200: AnswerPage, **REVIEW},
            auth=review(READ), summary="The review's answers, item by item")
def answers(request, slug: SlugPath, query: Query[AnswerQuery]):
    """Every question (in the instrument's order), then every principle, each with its
    answer; an item never answered has version 0."""
    r = request.review
    rows = items(instrument_for(request, r))
    if query.domain == PRINCIPLES:
        rows = [i for i in rows if i["kind"] == "principle"]
    elif query.domain:
        rows = [i for i in rows if i["domain_id"] == query.domain]
    result = paged(rows, query)
    stored = {a.item_id: a for a in r.answers.filter(
        item_id__in=[i["item_id"] for i in result["items"]]).select_related("updated_by")}
    result["items"] = [answer_row(i, stored.get(i["item_id"])) for i in result["items"]]
    return result


def _problems(item: dict, payload: AnswerIn) -> dict[str, str]:
    """What the web form would refuse, by field."""
    problems = {}
    if item["answer_type"] == AnswerType.TEXT.value:
        if payload.answer:
            problems["answer"] = _("An open question takes text, not a choice.")
        if payload.severity_override is not None:
            problems["severity_override"] = _("An open question has no severity.")
    elif payload.text:
        problems["text"] = _("This item is answered with a choice: use 'answer'.")
    if payload.severity_override is not None and not payload.override_justification.strip():
        problems["override_justification"] = _("Say why the severity is overridden: the "
                                               "report shows both.")
    return problems


@router.put("/reviews/{slug}/answers/{item_id}",
            response={200: AnswerOut, 409: AnswerConflict, **WRITE},
            auth=review(EDIT, write=True), summary="Save one item's answer")
def save_answer(request, slug: SlugPath, item_id: str, payload: AnswerIn):
    """Replaces the item's answer with the body (a field left out is emptied). Saving a
    carried-over answer makes it this round's. 409: someone saved it since ``version``;
    the body's ``error.current`` is their answer."""
    r = request.review
    item = next((i for i in items(instrument_for(request, r)) if i["item_id"] == item_id),
                None)
    if item is None:
        raise ApiError(404, _("This review's instrument has no item %(id)s.") % {"id": item_id})
    problems = _problems(item, payload)
    if problems:
        raise ApiError(422, _("The answer is not valid: see fields."), fields=problems)
    data = payload.model_dump(exclude={"version"})
    if item["answer_type"] == AnswerType.TEXT.value:
        data["answer"], data["severity_override"] = "", None
    try:
        saved = service.save_answer(r, item_id, data, payload.version, request.auth)
    except Conflict as exc:
        raise ApiError(409, _("Someone saved this item since version %(version)d: their "
                              "answer is in 'current'.") % {"version": payload.version},
                       current=dump(AnswerOut, answer_row(item, exc.current))) from None
    except ReviewLocked:
        raise ApiError(403, _("This review is final: it is read-only."),
                       code="review_final") from None
    return answer_row(item, saved)
