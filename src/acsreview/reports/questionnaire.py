"""A blank questionnaire for one stakeholder group and language, to print for workshops.

The same questions and answers as the group's web survey and field forms: the
instrument cut down to the group (:func:`~acsreview.core.instrument.select.for_group`),
every answer option the survey offers (stakeholders may also prefer not to say), a
box to tick for each, and lined space for the open items. Anonymous, like the survey:
it asks for no name.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from acsreview.core.instrument import AnswerType, Instrument
from acsreview.core.instrument.select import for_group
from acsreview.web.instruments import app_library

from .pdf import html_to_pdf

TEMPLATE = "reports/questionnaire.html"
LAYOUT = "reports/pdf_base.html"
#: Lines of writing space under an open question.
LINES = 6


def questionnaire_languages(instrument: Instrument) -> list[str]:
    """The languages a questionnaire of ``instrument`` can be printed in."""
    return app_library().languages(instrument)


def render_questionnaire(instrument: Instrument, *, group: str, lang: str = "en") -> str:
    """The questionnaire of ``group`` in ``lang`` as an HTML document for WeasyPrint.

    Raises :class:`LookupError` naming the valid choices for an unknown group or a
    language the instrument has no translation for.
    """
    for_group(instrument, group)  # an unknown group: the error names the known ones
    library = app_library()
    languages = library.languages(instrument)
    if lang not in languages:
        raise LookupError(f"{instrument.id} {instrument.version} has no '{lang}' translation "
                          f"(one of: {', '.join(languages)})")
    local = library.localized(instrument, lang)
    cut = for_group(local, group)
    info = next(g for g in local.stakeholder_groups if g.id == group)
    with translation.override(lang):
        number, levels = 0, []
        for level in cut.levels:
            domains = []
            for domain in level.domains:
                items = []
                for q in domain.questions:
                    number += 1
                    items.append({"number": number, "q": q,
                                  "open": q.answer_type == AnswerType.TEXT})
                domains.append({"domain": domain, "items": items})
            levels.append({"level": level, "domains": domains})
        open_items = sum(i["open"] for lv in levels for d in lv["domains"] for i in d["items"])
        return render_to_string(TEMPLATE, {
            "layout": LAYOUT, "lang": lang, "demo": False,
            "title": _("Questionnaire for %(group)s") % {"group": info.label},
            "subtitle": f"{local.title} {local.version}",
            "group": info, "instrument": local, "levels": levels,
            "questions": number, "open_items": open_items,
            "options": [o.label for o in local.answer_options],
            "labels": {o.id.value: o.label for o in local.answer_options},
            "lines": range(LINES),
        })


def questionnaire_pdf(instrument: Instrument, *, group: str, lang: str = "en") -> bytes:
    """The questionnaire as a tagged PDF with its title and language."""
    return html_to_pdf(render_questionnaire(instrument, group=group, lang=lang))
