"""The diagnostic: the questionnaire by domain with autosave, the principles, the correspondents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from acsreview.core.instrument import AnswerType
from acsreview.core.scoring import effective_severity, severity

from ..access import EDIT, READ, can_edit
from ..forms import AnswerForm, is_web_address, with_scheme
from ..models import Answer
from ..models.diagnostic import AnswerChoice, Confidence
from ..services.answers import (
    AnswerConflict,
    ReviewLocked,
    confirm_carried_over,
    save_answer,
    save_correspondent_answer,
)
from .common import domain_progress, instrument_for, review_view


def _item(instrument, item_id):
    """(kind, item, domain) for a question or principle id of the instrument."""
    for level in instrument.levels:
        for domain in level.domains:
            for q in domain.questions:
                if q.id == item_id:
                    return "question", q, domain
    for p in instrument.principles:
        if p.id == item_id:
            return "principle", p, None
    raise Http404


ALL = "all"
CHOICES = {
    "severity_choices": [(0, gettext_lazy("0: no barrier")), (1, gettext_lazy("1: some barrier")),
                         (2, gettext_lazy("2: a barrier"))],
}


def item_labels() -> dict:
    """The fixed words of an item card, translated once per page rather than once per item."""
    return {
        "answer": _("Answer"), "evidence": _("Evidence"), "sources": _("Sources"),
        "title": _("Title"), "link": _("Link"), "year": _("Year"),
        "confidence": _("Confidence"), "not_stated": _("Not stated"), "notes": _("Notes"),
        "details": _("Evidence, sources, confidence and notes"),
        "override": _("Severity override"), "no_override": _("No override"),
        "override_help": _("Only with a written justification; reports show both severities."),
        "justification": _("Justification of the override"), "save": _("Save"),
        "lead_note": _("For the review team:"),
    }


def _options(choices, current) -> list[tuple[str, str, bool]]:
    return [(str(value), label, str(value) == str(current)) for value, label in choices]


def _card(review, kind, item, answer, *, editable, form=None, conflict=None, saved=False):
    """What the template of one item needs, computed here: templates are slow at logic."""
    open_text = kind == "question" and item.answer_type == AnswerType.TEXT
    polarity = item.polarity if kind == "question" else "facilitator"
    sources = list(answer.sources) if answer else []
    rows = [{"i": str(i), **s} for i, s in enumerate(sources)]
    rows += [{"i": str(i)} for i in range(len(rows), max(3, len(rows)))]
    return {
        "kind": kind, "item": item, "id": item.id, "answer": answer, "open_text": open_text,
        "version": answer.version if answer else 0,
        "severity": severity(answer.answer, polarity) if answer else None,
        "effective": effective_severity(answer.answer, polarity, answer.severity_override)
        if answer else None,
        "choices": _options(AnswerChoice.choices, answer.answer if answer else None),
        "confidence": _options(Confidence.choices, answer.confidence if answer else None),
        "overrides": _options(CHOICES["severity_choices"],
                              answer.severity_override if answer else None),
        "sources": rows,
        "has_details": bool(answer and (answer.evidence or answer.sources or answer.notes)),
        "editable": editable, "form": form, "conflict": conflict, "saved": saved,
        "mine_answer": (conflict.get("text") or dict(AnswerChoice.choices).get(
            conflict.get("answer"), "")) if conflict else "",
        "url": reverse("reviews:save_answer", args=[review.slug, item.id]),
    }


@review_view(READ)
def diagnostic(request, review, role, domain_id=None):
    instrument = instrument_for(request, review)
    domains = [d for level in instrument.levels for d in level.domains]
    if domain_id is None:
        return redirect("reviews:domain", slug=review.slug, domain_id=domains[0].id)
    answers = {a.item_id: a for a in review.answers.select_related("updated_by")}
    editable = can_edit(role, review)
    if domain_id == ALL:  # every item on one page: for reading through, printing, workshops
        sections = [(lv, d, [_card(review, "question", q, answers.get(q.id), editable=editable)
                             for q in d.questions]) for lv in instrument.levels for d in lv.domains]
        return render(request, "reviews/all_domains.html", {
            "review": review, "role": role, "sections": sections, "editable": editable,
            "progress": domain_progress(instrument, answers), "labels": item_labels()})
    domain = next((d for d in domains if d.id == domain_id), None)
    if domain is None:
        raise Http404
    level = next(lv for lv in instrument.levels if domain in lv.domains)
    cards = [_card(review, "question", q, answers.get(q.id), editable=editable)
             for q in domain.questions]
    index = domains.index(domain)
    return render(request, "reviews/domain.html", {
        "review": review, "role": role, "instrument": instrument, "level": level,
        "domain": domain, "cards": cards, "editable": editable,
        "progress": domain_progress(instrument, answers),
        "previous": domains[index - 1] if index else None,
        "next": domains[index + 1] if index + 1 < len(domains) else None,
        "labels": item_labels(),
    })


@review_view(READ)
def principles(request, review, role):
    instrument = instrument_for(request, review)
    answers = {a.item_id: a for a in review.answers.filter(
        item_id__in=[p.id for p in instrument.principles])}
    editable = can_edit(role, review)
    sources = {s.id: s for s in instrument.sources}
    cards = [_card(review, "principle", p, answers.get(p.id), editable=editable)
             | {"source": sources.get(p.source)} for p in instrument.principles]
    return render(request, "reviews/principles.html", {
        "review": review, "role": role, "cards": cards, "editable": editable,
        "labels": item_labels()})


@require_POST
@review_view(EDIT)
def save(request, review, role, item_id):
    """Save one item's answer: the htmx autosave and the plain form post both come here."""
    instrument = instrument_for(request, review)
    kind, item, _domain = _item(instrument, item_id)
    open_text = kind == "question" and item.answer_type == AnswerType.TEXT
    form = AnswerForm(request.POST, open_text=open_text)
    answer = Answer.objects.filter(review=review, item_id=item_id).first()
    conflict = None
    status = 200
    if form.is_valid():
        try:
            # "Save mine over theirs" after a conflict names the version the person has seen.
            base = _int(request.POST.get("force_version"), form.cleaned_data["version"])
            if request.POST.get("confirm") == "1":
                if answer is None:  # nothing carried over to confirm
                    raise Http404
                answer = confirm_carried_over(review, item_id, base, request.user)
            else:
                answer = save_answer(review, item_id, form.answer_data(), base, request.user)
            form = None
        except AnswerConflict as exc:
            answer, conflict, status = exc.current, exc.mine, 409
        except ReviewLocked:
            raise PermissionDenied from None
    else:
        status = 422
    if not request.htmx:
        if status == 200:
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Not saved: see the item below."))
        if kind == "principle":
            return redirect(reverse("reviews:principles", args=[review.slug]) + f"#{item_id}")
        return redirect(reverse("reviews:domain", args=[review.slug, _domain.id])
                        + f"#{item_id}")
    card = _card(review, kind, item, answer, editable=True, form=form, conflict=conflict,
                 saved=status == 200)
    # htmx swaps only 2xx responses by default: conflicts and errors answer 200 too, and
    # say what happened in a header (the page script keeps unsaved work marked as such).
    response = render(request, "reviews/_save_result.html", {"review": review, "c": card,
                                                              "labels": item_labels()})
    response["X-Save-Status"] = str(status)
    return response


def _int(raw, default):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


@review_view(READ)
def item(request, review, role, item_id):
    """Where an item lives: its domain page (or the principles), at its anchor."""
    kind, _item_obj, domain = _item(instrument_for(request, review), item_id)
    if kind == "principle":
        return redirect(reverse("reviews:principles", args=[review.slug]) + f"#{item_id}")
    return redirect(reverse("reviews:domain", args=[review.slug, domain.id]) + f"#{item_id}")


@review_view(READ)
def correspondents(request, review, role):
    instrument = instrument_for(request, review)
    stored = {c.question_id: c for c in review.correspondent_answers.all()}
    editable = can_edit(role, review)
    refused = {}  # a refused answer's values, shown again in its form with the reason
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        qid = request.POST.get("question_id")
        question = next((q for q in instrument.correspondent_questions if q.id == qid), None)
        if question is None:
            raise Http404
        values, errors = _correspondent_values(question, request.POST)
        if not errors:
            try:
                save_correspondent_answer(review, qid, values,
                                          _int(request.POST.get("version"), 0), request.user)
            except AnswerConflict:
                messages.error(request, _("Someone else saved this answer meanwhile: their "
                                          "version is shown; enter your changes again."))
            else:
                messages.success(request, _("Saved."))
            return redirect(reverse("reviews:correspondents", args=[review.slug]) + f"#{qid}")
        messages.error(request, " ".join(errors))
        refused = {qid: values}
    blocks = []
    for q in instrument.correspondent_questions:
        answer = stored.get(q.id)
        values = refused.get(q.id, answer.values if answer else {})
        blocks.append({"q": q, "answer": answer, "version": answer.version if answer else 0,
                       "fields": [{"f": f, "value": values.get(f.id, "" if f.type != "citations"
                                                             else [])} for f in q.fields]})
    return render(request, "reviews/correspondents.html", {
        "review": review, "role": role, "blocks": blocks, "editable": editable,
        "answer_labels": {o.id.value: o.label for o in instrument.answer_options}},
        status=422 if refused else 200)


def _correspondent_values(question, post):
    values, errors = {}, []
    for f in question.fields:
        if f.type == "choice":
            value = post.get(f.id, "")
            if value and value not in [c.value for c in f.choices]:
                errors.append(_("%(field)s: choose one of the options.") % {"field": f.label})
            values[f.id] = value
        elif f.type == "citations":
            rows = []
            for i in range(5):
                citation = post.get(f"{f.id}_{i}_citation", "").strip()[:1000]
                year = post.get(f"{f.id}_{i}_year", "").strip()
                url = with_scheme(post.get(f"{f.id}_{i}_url", "").strip()[:1000])
                if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
                    errors.append(_("%(field)s, row %(row)s: the year must be a year.")
                                  % {"field": f.label, "row": i + 1})
                if url and not is_web_address(url):
                    errors.append(_("%(field)s, row %(row)s: enter a full web address "
                                    "(https://…).") % {"field": f.label, "row": i + 1})
                if citation:
                    rows.append({"citation": citation, "year": int(year) if year.isdigit()
                                 else None, "url": url})
            values[f.id] = rows
        else:
            values[f.id] = post.get(f.id, "").strip()[:20000]
    return values, errors
