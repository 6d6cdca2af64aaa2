"""The before and after of an audit event in words: field labels and values a reader knows.

An audit event keeps what the code knows: field names, choice keys, instrument ids,
floats, nested dicts. Here each becomes what the pages call it, in the reader's
language: the model's verbose name, the choice's label, the instrument's label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from acsreview.core.instrument import iter_questions
from acsreview.web.consultations.models import Adoption, Consultation, Link
from acsreview.web.consultations.models import Source as ResponseSource

from ..models import (
    ActionItem,
    Answer,
    ContextIndicator,
    Jurisdiction,
    Measure,
    MeasureStat,
    Role,
    Status,
)
from .actions import default_title

NOTHING = "—"

# The model behind each kind of event: its fields' verbose names label the changes.
MODELS = {
    "answer": Answer,
    "measure": Measure,
    "measure_stat": MeasureStat,
    "context_indicator": ContextIndicator,
    "action": ActionItem,
    "consultation": Consultation,
    "consultation_link": Link,
    "adoption": Adoption,
}

# Keys that are no field of the model, or a field without words of its own.
LABELS = {
    "status": gettext_lazy("Status"),
    "note": gettext_lazy("Note"),
    "instrument": gettext_lazy("Instrument"),
    "carried_from": gettext_lazy("Carried over from"),
    "role": gettext_lazy("Role"),
    "jurisdiction": gettext_lazy("Jurisdiction"),
    "groups": gettext_lazy("Stakeholder groups"),
    "file": gettext_lazy("File"),
    "source": gettext_lazy("Source"),
    "imported": gettext_lazy("Responses imported"),
    "skipped": gettext_lazy("Responses skipped"),
    "via": gettext_lazy("Done in"),
    "responses": gettext_lazy("Responses deleted"),
    "answers": gettext_lazy("Answers deleted"),
    "measure": gettext_lazy("Measure"),
    "consultation": gettext_lazy("Consultation"),
    "decision": gettext_lazy("Decision"),
    "user": gettext_lazy("Account"),
    "prefix": gettext_lazy("Token prefix"),
    "name": gettext_lazy("Name"),
    "code": gettext_lazy("Code"),
    "parent": gettext_lazy("Part of"),
    "revoked_at": gettext_lazy("Revoked"),
}
SEVERITIES = {
    0: gettext_lazy("0: no barrier"),
    1: gettext_lazy("1: some barrier"),
    2: gettext_lazy("2: a barrier"),
}
VIA = {"web": gettext_lazy("the web app"), "cli": gettext_lazy("the command line")}
MOMENTS = {"closes_at", "revoked_at"}  # datetimes kept as text by the snapshot
# Keys an event keeps to say what it is about: its sentence says it, the changes need not.
CONTEXT = {"consultation_link": {"group", "consultation"}}


def short(text: str, length: int = 60) -> str:
    """``text`` cut at a word before ``length`` characters, "…" saying it was."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def quoted(name) -> str:
    """A name set apart by the quotation marks of the reader's language."""
    return _("“%(name)s”") % {"name": name}


def as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Change:
    key: str  # the technical name, for code and tests: never shown
    label: str
    value: str


class Known:
    """What the events of one page name, looked up once: instrument labels and objects."""

    def __init__(self, review, instrument, events):
        self.instrument = instrument
        self.items = {q.id: ("question", q.text) for q in iter_questions(instrument)}
        self.items |= {p.id: ("principle", p.text) for p in instrument.principles}
        self.correspondent = {q.id: q for q in instrument.correspondent_questions}
        self.answers = {o.id.value: o.label for o in instrument.answer_options}
        self.levels = {lv.id: lv.label for lv in instrument.levels}
        self.areas = {a.id: a.label for a in instrument.areas_for_action}
        self.groups = {g.id: g.label for g in instrument.stakeholder_groups}
        self.measure_types = {t.id: t.label for t in instrument.measure_types}
        self.stages = {s.id: s.label for s in instrument.cjs_stages}
        ids: dict[str, set[int]] = {}
        for e in events:
            if as_int(e.object_id) is not None:
                ids.setdefault(e.object_type, set()).add(int(e.object_id))
        self.measures = dict(
            Measure.objects.filter(review=review, pk__in=ids.get("measure", ())).values_list(
                "pk", "name"
            )
        )
        self.stats = {
            s.pk: (s.measure.name, s.year)
            for s in MeasureStat.objects.filter(
                measure__review=review, pk__in=ids.get("measure_stat", ())
            ).select_related("measure")
        }
        self.indicators = {
            i.pk: (i.get_indicator_display(), i.year)
            for i in ContextIndicator.objects.filter(
                review=review, pk__in=ids.get("context_indicator", ())
            )
        }
        self.consultations = {}
        for c in Consultation.objects.filter(review=review):
            self.consultations[str(c.public_id)] = self.consultations[str(c.pk)] = c

    def jurisdiction(self, code) -> str:
        """A jurisdiction by its name and code ("Xandria (XA)"), or its code if unknown."""
        if not code:
            return NOTHING
        if not hasattr(self, "_jurisdictions"):
            self._jurisdictions = dict(Jurisdiction.objects.values_list("code", "name"))
        name = self._jurisdictions.get(code)
        return f"{name} ({code})" if name else str(code)

    def consultation(self, ref, title=None) -> str:
        found = self.consultations.get(str(ref))
        title = found.title if found else title
        if title:
            return quoted(title)
        if found:
            return _("of %(date)s") % {"date": f"{found.created_at:%Y-%m-%d}"}
        return _("(since deleted)")

    def correspondent_field(self, question_id: str, key: str):
        question = self.correspondent.get(question_id)
        return next((f for f in question.fields if f.id == key), None) if question else None


# --- labels --------------------------------------------------------------------------


def _field(object_type: str, key: str):
    model = MODELS.get(object_type)
    try:
        field = model._meta.get_field(key) if model else None
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None  # not a reverse relation


def label(object_type: str, key: str, known: Known, object_id: str = "") -> str:
    if object_type == "correspondent_answer":
        field = known.correspondent_field(object_id, key)
        if field is not None:
            return field.label
    field = _field(object_type, key)
    if field is not None and isinstance(field.verbose_name, Promise):
        return capfirst(field.verbose_name)
    if key in LABELS:
        return str(LABELS[key])
    return capfirst(key.replace("_", " "))


# --- values --------------------------------------------------------------------------


def _number(value) -> str:
    if isinstance(value, float):
        return number_format(round(value, 2), decimal_pos=2 if value % 1 else 0)
    return number_format(value)


def _moment(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return f"{moment:%Y-%m-%d %H:%M}"


def _references(rows, title_key: str) -> str:
    """A list of sources or citations: how many, then each by its title and year."""
    parts = []
    for row in rows:
        if not isinstance(row, dict):
            parts.append(str(row))
            continue
        text = short(row.get(title_key) or row.get("url") or NOTHING, 80)
        parts.append(f"{text} ({row['year']})" if row.get("year") else text)
    return ngettext("%(n)d reference: %(list)s", "%(n)d references: %(list)s", len(parts)) % {
        "n": len(parts),
        "list": "; ".join(parts),
    }


def _barriers(barriers: dict) -> str:
    """The barriers behind a recommendation, each with the lead's severity then."""
    parts = [
        _("%(id)s (severity %(severity)s)") % {"id": qid, "severity": sev}
        if sev is not None
        else _("%(id)s (stakeholders' view only)") % {"id": qid}
        for qid, sev in barriers.items()
    ]
    return ngettext("%(n)d barrier: %(list)s", "%(n)d barriers: %(list)s", len(parts)) % {
        "n": len(parts),
        "list": ", ".join(parts),
    }


def _labels(mapping: dict):
    return lambda v, known: mapping.get(v, v)


def _language(code) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return str(code)


def _instrument(value: str, instrument) -> str:
    """ "acs-diagnostic 1.0" as the instrument's title, when it is this review's."""
    ident, _sep, version = value.partition(" ")
    return f"{instrument.title} {version}" if ident == instrument.id else value


SPECIAL = {
    ("answer", "answer"): lambda v, k: k.answers.get(v, v),
    ("answer", "severity_override"): lambda v, k: SEVERITIES.get(v, v),
    ("answer", "sources"): lambda v, k: _references(v, "title"),
    ("measure", "measure_type"): lambda v, k: k.measure_types.get(v, v),
    ("measure", "stage"): lambda v, k: k.stages.get(v, v),
    ("action", "level_id"): lambda v, k: k.levels.get(v, v),
    ("action", "area_id"): lambda v, k: k.areas.get(v, v),
    ("action", "barriers"): lambda v, k: _barriers(v) if isinstance(v, dict) else v,
    ("consultation", "groups"): lambda v, k: ", ".join(k.groups.get(g, g) for g in v),
    ("consultation", "languages"): lambda v, k: ", ".join(_language(c) for c in v),
    ("consultation", "source"): _labels(dict(ResponseSource.choices)),
    ("consultation", "via"): _labels(VIA),
    ("review", "status"): _labels(dict(Status.choices)),
    ("review", "instrument"): lambda v, k: _instrument(v, k.instrument),
    ("membership", "role"): _labels(dict(Role.choices)),
}


def _correspondent(value, key: str, known: Known, question_id: str):
    field = known.correspondent_field(question_id, key)
    kind = getattr(field, "type", None)
    if kind == "choice":
        return known.answers.get(value, value)
    if kind == "citations" and isinstance(value, list):
        return _references(value, "citation")
    return None


def _generic(value, known: Known) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (int, float, Decimal)):
        return _number(value)
    if isinstance(value, list):
        if value and all(isinstance(row, dict) for row in value):
            return _references(value, "title")
        return ", ".join(_generic(v, known) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{capfirst(str(k).replace('_', ' '))}: {_generic(v, known)}" for k, v in value.items()
        )
    return str(value)


def value_text(object_type: str, key: str, value, known: Known, object_id: str = "") -> str:
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    shown = None
    if object_type == "correspondent_answer":
        shown = _correspondent(value, key, known, object_id)
    special = SPECIAL.get((object_type, key))
    if shown is None and special is not None:
        try:
            shown = special(value, known)
        except (TypeError, AttributeError):  # not the shape it is written in: show it as is
            shown = None
    if shown is None and key in MOMENTS and isinstance(value, str):
        shown = _moment(value)
    field = _field(object_type, key)
    if shown is None and field is not None and field.choices and isinstance(value, str):
        shown = dict(field.flatchoices).get(value)
    if shown is None and object_type == "context_indicator" and key == "value":
        try:
            shown = number_format(Decimal(str(value)), decimal_pos=2)
        except InvalidOperation:
            shown = None
    return _generic(value if shown is None else shown, known)


def _order(object_type: str, keys) -> list[str]:
    """The model's own field order, whatever order the database gave the keys back in."""
    model = MODELS.get(object_type)
    names = [f.name for f in model._meta.get_fields()] if model else []
    return sorted(keys, key=lambda k: names.index(k) if k in names else len(names))


def _action_title(side: dict, title, known: Known):
    """An accepted or rejected recommendation's title, in the reader's language (the one
    saved is in the language of whoever decided); an edited one is the team's own words."""
    level, area = side.get("level_id"), side.get("area_id")
    if side.get("decision") == "edited" or level not in known.levels or area not in known.areas:
        return title
    return default_title(known.instrument, level, area)


def changes(event, side: dict | None, other: dict | None, known: Known) -> list[Change]:
    """One side (before or after) of ``event``: (label, value) for each key it holds.

    On a creation or a deletion, where the other side is empty, blank fields are left
    out: a new measure is what it has, not the ten fields it has not."""
    if not side:
        return []
    rows = []
    context = CONTEXT.get(event.object_type, set())
    for key in _order(event.object_type, side):
        value = side[key]
        if key in context or (not other and value in (None, "", [], {})):
            continue
        if event.object_type == "action" and key == "title":
            value = _action_title(side, value, known)
        rows.append(
            Change(
                key,
                label(event.object_type, key, known, event.object_id),
                value_text(event.object_type, key, value, known, event.object_id),
            )
        )
    return rows
