"""A review's history in words, for a reader who never saw the code.

Every audit event (:func:`.audit.record`) becomes a sentence in the reader's language
("Answer to question SYS-REG-01 “Is there legislation …” changed"), naming what it is
about by the instrument's labels and the objects' names, and its before and after
become (label, value) pairs (:mod:`.history_values`). An event about an object since
deleted, or an id the instrument no longer has, still reads as a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acsreview.web.consultations.models import Decision as AdoptionDecision

from ..models import Decision, Indicator, Role, Status
from .actions import default_title
from .history_values import NOTHING, Change, Known, as_int, changes, quoted, short

# One sentence per kind of event the code writes (grep "record(" in src/acsreview).
SENTENCES = {
    ("answer", "update"): gettext_lazy("Answer to %(item)s changed"),
    ("answer", "confirm"): gettext_lazy("Carried-over answer to %(item)s confirmed for this round"),
    ("correspondent_answer", "update"): gettext_lazy("Answer to %(item)s changed"),
    ("adoption", "create"): gettext_lazy(
        "Decision on the stakeholders' view of %(item)s: %(decision)s"
    ),
    ("adoption", "update"): gettext_lazy(
        "Decision on the stakeholders' view of %(item)s: %(decision)s"
    ),
    ("measure", "create"): gettext_lazy("Measure %(measure)s added"),
    ("measure", "update"): gettext_lazy("Measure %(measure)s changed"),
    ("measure", "delete"): gettext_lazy("Measure %(measure)s deleted"),
    ("measure", "confirm"): gettext_lazy(
        "Carried-over measure %(measure)s confirmed for this round"
    ),
    ("measure_stat", "create"): gettext_lazy("Figures of measure %(measure)s for %(year)s added"),
    ("measure_stat", "update"): gettext_lazy("Figures of measure %(measure)s for %(year)s changed"),
    ("measure_stat", "delete"): gettext_lazy("Figures of measure %(measure)s for %(year)s deleted"),
    ("context_indicator", "create"): gettext_lazy(
        "Context indicator %(indicator)s for %(year)s added"
    ),
    ("context_indicator", "update"): gettext_lazy(
        "Context indicator %(indicator)s for %(year)s changed"
    ),
    ("context_indicator", "delete"): gettext_lazy(
        "Context indicator %(indicator)s for %(year)s deleted"
    ),
    ("context_indicator", "confirm"): gettext_lazy(
        "Carried-over value of context indicator "
        "%(indicator)s for %(year)s confirmed for this "
        "round"
    ),
    ("action", "create"): gettext_lazy("Decision on %(action)s: %(decision)s"),
    ("action", "decide"): gettext_lazy("Decision on %(action)s: %(decision)s"),
    ("action", "progress"): gettext_lazy("Progress of action %(action)s updated"),
    ("review", "create"): gettext_lazy("Review started"),
    ("review", "status"): gettext_lazy("Status changed from %(from)s to %(to)s"),
    ("membership", "invite"): gettext_lazy("%(email)s invited to work on %(code)s as %(role)s"),
    ("consultation", "create"): gettext_lazy("Consultation %(consultation)s opened"),
    ("consultation", "import"): gettext_lazy(
        "Field responses imported into consultation %(consultation)s"
    ),
    ("consultation", "purge"): gettext_lazy(
        "Raw responses of consultation %(consultation)s purged"
    ),
    ("consultation_link", "close"): gettext_lazy(
        "Survey link for %(group)s closed (consultation %(consultation)s)"
    ),
    ("consultation_link", "reopen"): gettext_lazy(
        "Survey link for %(group)s reopened (consultation %(consultation)s)"
    ),
    ("jurisdiction", "create"): gettext_lazy("Jurisdiction %(code)s added"),
    ("api_token", "create"): gettext_lazy("API token %(token)s created"),
    ("api_token", "revoke"): gettext_lazy("API token %(token)s revoked"),
}
OTHER = gettext_lazy("Another change to this review")


class _Words(dict):
    """The words of a sentence; one it lacks reads as a dash, never as a KeyError."""

    def __missing__(self, key):
        return NOTHING


def _get(event, key):
    """``key`` as the event has it, after the change if it has it then, else before."""
    for side in (event.after, event.before):
        if isinstance(side, dict) and side.get(key) not in (None, ""):
            return side[key]
    return None


def _item(event, known: Known) -> str:
    found = known.items.get(event.object_id)
    if found is None:
        return _("item %(id)s (no longer in the instrument)") % {"id": event.object_id}
    kind, text = found
    template = (
        _("question %(id)s “%(text)s”") if kind == "question" else _("principle %(id)s “%(text)s”")
    )
    return template % {"id": event.object_id, "text": short(text)}


def _correspondent_item(event, known: Known) -> str:
    question = known.correspondent.get(event.object_id)
    if question is None:
        return _("the correspondents' question %(id)s (no longer in the instrument)") % {
            "id": event.object_id
        }
    return _("the correspondents' question %(id)s “%(text)s”") % {
        "id": event.object_id,
        "text": short(question.text),
    }


def _measure(event, known: Known) -> dict:
    name = _get(event, "name") or known.measures.get(as_int(event.object_id))
    return {"measure": quoted(name) if name else _("(since deleted)")}


def _measure_stat(event, known: Known) -> dict:
    name, year = known.stats.get(as_int(event.object_id), (None, None))
    name, year = _get(event, "measure") or name, _get(event, "year") or year
    return {
        "measure": quoted(name) if name else _("(since deleted)"),
        "year": year if year else _("a year no longer recorded"),
    }


def _indicator(event, known: Known) -> dict:
    label, year = known.indicators.get(as_int(event.object_id), (None, None))
    code = _get(event, "indicator")
    label = dict(Indicator.choices).get(code, code) if code else label
    year = _get(event, "year") or year
    return {
        "indicator": quoted(label) if label else _("(since deleted)"),
        "year": year if year else _("a year no longer recorded"),
    }


def _action(event, known: Known) -> dict:
    level, _sep, area = event.object_id.partition(":")
    if level in known.levels and area in known.areas:
        name = quoted(default_title(known.instrument, level, area))
    else:
        name = _("a recommendation no longer in the plan")
    decision = (event.after or {}).get("decision")
    return {"action": name, "decision": dict(Decision.choices).get(decision, _("details changed"))}


def _adoption(event, known: Known) -> dict:
    decision = (event.after or {}).get("decision")
    return {
        "item": _item(event, known),
        "decision": dict(AdoptionDecision.choices).get(decision, _("details changed")),
    }


def _status(event, known: Known) -> dict:
    labels = dict(Status.choices)
    return {
        "from": labels.get((event.before or {}).get("status"), NOTHING),
        "to": labels.get((event.after or {}).get("status"), NOTHING),
    }


def _membership(event, known: Known) -> dict:
    role = _get(event, "role")
    return {
        "email": event.object_id,
        "code": known.jurisdiction(_get(event, "jurisdiction")),
        "role": dict(Role.choices).get(role, role or NOTHING),
    }


def _consultation(event, known: Known) -> dict:
    return {"consultation": known.consultation(event.object_id, _get(event, "title"))}


def _link(event, known: Known) -> dict:
    group = _get(event, "group")
    return {
        "group": known.groups.get(group, group) or NOTHING,
        "consultation": known.consultation(_get(event, "consultation")),
    }


def _token(event, known: Known) -> dict:
    name = _get(event, "name") or _get(event, "prefix")
    return {"token": quoted(name) if name else NOTHING}


WORDS = {
    "answer": lambda e, k: {"item": _item(e, k)},
    "correspondent_answer": lambda e, k: {"item": _correspondent_item(e, k)},
    "adoption": _adoption,
    "measure": _measure,
    "measure_stat": _measure_stat,
    "context_indicator": _indicator,
    "action": _action,
    "review": _status,
    "membership": _membership,
    "consultation": _consultation,
    "consultation_link": _link,
    "jurisdiction": lambda e, k: {"code": k.jurisdiction(e.object_id)},
    "api_token": _token,
}


def sentence(event, known: Known) -> str:
    """What ``event`` did, as a sentence in the active language."""
    template = SENTENCES.get((event.object_type, event.action))
    words = WORDS.get(event.object_type)
    if template is None or words is None:
        return str(OTHER)
    return str(template) % _Words(words(event, known))


@dataclass(frozen=True)
class Entry:
    event: object  # the AuditEvent: when and who
    what: str
    before: list[Change]
    after: list[Change]


def describe(events, review, instrument) -> list[Entry]:
    """The events of one page of a review's history, each in words.

    ``instrument`` is the review's, localised to the reader's language
    (``views.common.instrument_for``)."""
    events = list(events)
    known = Known(review, instrument, events)
    return [
        Entry(
            e,
            sentence(e, known),
            changes(e, e.before, e.after, known),
            changes(e, e.after, e.before, known),
        )
        for e in events
    ]
