"""A consultation's field forms: the instrument's XLSForm for one stakeholder group, tied to
the consultation so that the submissions it collects can be imported back.

The instrument's own XLSForm (``reports.instrument.xlsform``) gains a calculate field
``consultation_id`` with the consultation's public id (and ``form_language`` naming the
language when the form has only one), a form id unique per consultation and group, and a
title naming the review. ODK Collect and KoboToolbox carry calculate fields into every
submission, so an export says which consultation and group each row answers.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _

from acsreview.core.instrument import Instrument, Library
from acsreview.reports.instrument.languages import xlsform_language
from acsreview.reports.instrument.xlsform import build_xlsform

from ..models import Consultation

CONSULTATION_FIELD = "consultation_id"
LANGUAGE_FIELD = "form_language"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FormProblem(ValueError):
    """A form cannot be made as asked: ``option`` is "group" or "lang"; a one-line message."""

    def __init__(self, option: str, message: str):
        super().__init__(message)
        self.option = option


def consultation_groups(consultation: Consultation) -> list[str]:
    """The stakeholder groups the consultation asks: those with a link."""
    return list(consultation.links.order_by("pk").values_list("group", flat=True))


def form_languages(library: Library, inst: Instrument, consultation: Consultation,
                   lang: str | None = None) -> list[str]:
    """``lang`` alone, else the consultation's languages the instrument has, else all."""
    available = library.languages(inst)
    if lang:
        if lang not in available:
            raise FormProblem("lang", _(
                "no '%(lang)s' translation of the instrument (one of: %(langs)s)") % {
                "lang": lang, "langs": ", ".join(available)})
        return [lang]
    chosen = [code for code in consultation.languages or [] if code in available]
    return chosen or list(available)


def form_id(consultation: Consultation, group: str) -> str:
    """Unique per consultation and group, XML-safe: ``acs_1a2b3c4d_police``."""
    return f"acs_{consultation.public_id.hex[:8]}_{group}"


def form_title(consultation: Consultation, inst: Instrument, group: str, lang: str) -> str:
    label = next((g.label for g in inst.stakeholder_groups if g.id == group), group)
    with translation.override(lang):
        return _("ACS review %(review)s: %(group)s") % {
            "review": consultation.review.slug, "group": label}


def build_field_form(library: Library, inst: Instrument, consultation: Consultation,
                     group: str, *, lang: str | None = None):
    """The XLSForm (an openpyxl Workbook) of ``consultation`` for ``group``."""
    groups = consultation_groups(consultation)
    if group not in groups:
        known = ", ".join(groups) or _("none yet")
        raise FormProblem("group", _(
            "'%(group)s' is not a stakeholder group of this consultation (its groups: "
            "%(groups)s)") % {"group": group, "groups": known})
    languages = form_languages(library, inst, consultation, lang)
    try:
        wb = build_xlsform(library, inst, group=group, languages=languages)
    except LookupError as exc:  # a group the instrument does not know
        raise FormProblem("group", str(exc).strip("'\"")) from None

    survey = wb["survey"]
    header = [c.value for c in next(survey.iter_rows(min_row=1, max_row=1))]
    at = next(i for i, row in enumerate(survey.iter_rows(min_row=1, values_only=True), 1)
              if row[1] == "stakeholder_group")
    calculations = [(CONSULTATION_FIELD, f"'{consultation.public_id}'"),
                    (LANGUAGE_FIELD, f"'{languages[0]}'" if len(languages) == 1 else "''")]
    survey.insert_rows(at + 1, amount=len(calculations))
    for offset, (name, calculation) in enumerate(calculations, start=1):
        survey.cell(at + offset, header.index("type") + 1, "calculate")
        survey.cell(at + offset, header.index("name") + 1, name)
        survey.cell(at + offset, header.index("calculation") + 1, calculation)

    settings = wb["settings"]
    names = [c.value for c in next(settings.iter_rows(min_row=1, max_row=1))]
    values = {
        "form_title": form_title(consultation, library.localized(inst, languages[0]), group,
                                 languages[0]),
        "form_id": form_id(consultation, group),
        "version": inst.version,
        "default_language": xlsform_language(languages[0]),
    }
    for name, value in values.items():
        settings.cell(2, names.index(name) + 1, value)
    return wb


def field_form_bytes(library: Library, inst: Instrument, consultation: Consultation,
                     group: str, *, lang: str | None = None) -> bytes:
    buffer = BytesIO()
    build_field_form(library, inst, consultation, group, lang=lang).save(buffer)
    return buffer.getvalue()


def newest_consultation(review) -> Consultation | None:
    return review.consultations.order_by("-created_at", "-pk").first()
