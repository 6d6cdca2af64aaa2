"""The country report in the app: the page (any language) and its PDF download.

Both need READ on the review, like every other page of it. The report itself is
:mod:`acsreview.reports.country`; here the language is chosen (``?lang=``, default the
reader's own) and the response made. A language the app does not have is a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import get_language

from acsreview.reports.country import country_pdf, render_country, report_languages

from ..access import READ
from .common import review_view


def _language(request) -> str:
    """``?lang=`` if the app has it (else 404), or the reader's current language."""
    codes = [code for code, _name in report_languages()]
    asked = request.GET.get("lang")
    if asked is not None:
        if asked not in codes:
            raise Http404
        return asked
    current = (get_language() or "en").split("-")[0]
    return current if current in codes else "en"


@review_view(READ)
def report(request, review, role):
    lang = _language(request)
    response = HttpResponse(render_country(review, lang=lang, pdf=False, request=request))
    response["Content-Language"] = lang
    return response


@review_view(READ)
def report_pdf(request, review, role):
    lang = _language(request)
    response = HttpResponse(country_pdf(review, lang=lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{review.slug}-report-{lang}.pdf"'
    response["Content-Language"] = lang
    return response
