"""The instrument as an XLSForm (https://xlsform.org) for ODK Collect and KoboToolbox.

One form per stakeholder group (or all questions): a page (field-list group) per
domain, the answer scale as a choice list, every language as ``label::Name (code)``
columns, and hidden fields naming the instrument and group so that imported
submissions can be matched to what was asked.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from acsreview.core.instrument import Answer, AnswerType, Instrument, Library
from acsreview.core.instrument.select import field_name, for_group

from .languages import xlsform_language

ANSWER_LIST = "answer"
# Who may decline a question: stakeholders in a survey, not a review lead.
STAKEHOLDER_ANSWERS = [a.value for a in Answer]


def form_id(inst: Instrument, group: str | None) -> str:
    base = f"{inst.id}-{inst.version}".replace(".", "_").replace("-", "_")
    return f"{base}_{group}" if group else base


def build_xlsform(
    library: Library, inst: Instrument, *, group: str | None = None, languages: list[str]
) -> Workbook:
    forms = {lang: library.localized(inst, lang) for lang in languages}
    if group:
        forms = {lang: for_group(f, group) for lang, f in forms.items()}
    ref = forms[languages[0]]
    cols = [xlsform_language(lang) for lang in languages]

    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", *[f"label::{c}" for c in cols], *[f"hint::{c}" for c in cols],
                   "required", "appearance", "calculation"])

    def row(kind, name, labels, hints=None, required="", appearance="", calculation=""):
        hints = hints or ["" for _ in languages]
        survey.append([kind, name, *labels, *hints, required, appearance, calculation])

    row("calculate", "instrument_id", ["" for _ in languages], calculation=f"'{inst.id}'")
    row("calculate", "instrument_version", ["" for _ in languages],
        calculation=f"'{inst.version}'")
    row("calculate", "stakeholder_group", ["" for _ in languages],
        calculation=f"'{group or ''}'")
    row("note", "intro", [forms[lang].title + "\n\n" + _intro(lang) for lang in languages])

    for li, level in enumerate(ref.levels):
        for di, domain in enumerate(level.domains):
            row("begin_group", field_name(domain.id),
                [forms[lang].levels[li].label + ": " + forms[lang].levels[li].domains[di].label
                 for lang in languages], appearance="field-list")
            for qi, q in enumerate(domain.questions):
                texts = [forms[lang].levels[li].domains[di].questions[qi] for lang in languages]
                labels = [f"{q.id}. {t.text}" for t in texts]
                hints = [t.help or "" for t in texts]
                if q.answer_type == AnswerType.CHOICE:
                    row(f"select_one {ANSWER_LIST}", field_name(q.id), labels, hints, "yes")
                else:
                    row("text", field_name(q.id), labels, hints, appearance="multiline")
            row("end_group", "", ["" for _ in languages])

    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", *[f"label::{c}" for c in cols]])
    for i, option in enumerate(ref.answer_options):
        if option.id.value in STAKEHOLDER_ANSWERS:
            choices.append([ANSWER_LIST, option.id.value,
                            *[forms[lang].answer_options[i].label for lang in languages]])

    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    title = ref.title if not group else f"{ref.title}: {_group_label(ref, group)}"
    settings.append([title, form_id(inst, group), inst.version, cols[0]])
    return wb


def to_xlsform(library: Library, inst: Instrument, out: Path, *, group: str | None = None,
               lang: str | None = None) -> None:
    languages = [lang] if lang else library.languages(inst)
    wb = build_xlsform(library, inst, group=group, languages=languages)
    buffer = BytesIO()
    wb.save(buffer)
    Path(out).write_bytes(buffer.getvalue())


def _intro(lang: str) -> str:
    with translation.override(lang):
        return _(
            "This questionnaire asks for your view of how alternatives to coercive sanctions"
            " (ACS) for drug-using offenders work where you are. It is anonymous: do not write"
            " your name or anything else that identifies you or anyone else. Answer"
            " “Don't know” or “Prefer not to say” whenever you wish."
        )


def _group_label(inst: Instrument, group: str) -> str:
    return next(g.label for g in inst.stakeholder_groups if g.id == group)
