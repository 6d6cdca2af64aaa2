"""Public pages: the home page, the instrument, and a health check for load balancers."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, get_language_info
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from acsreview.core.instrument import shipped_library
from acsreview.core.instrument.summary import area_level_matrix, summarize
from acsreview.reports.questionnaire import questionnaire_languages, questionnaire_pdf
from acsreview.web.instruments import app_library


@require_GET
def home(request):
    library = shipped_library()
    shown = _localized(library, library.get("acs-diagnostic"))
    return render(request, "pages/home.html", {
        "instrument": shown,
        "summary": summarize(shown),  # in the reader's language
    })


@require_GET
def instrument_detail(request, instrument_id, version):
    library = shipped_library()
    try:
        instrument = library.get(instrument_id, version)
    except LookupError:
        raise Http404 from None
    shown = _localized(library, instrument)
    matrix = area_level_matrix(shown)
    languages = _in_interface_order(library.languages(instrument))
    return render(request, "pages/instrument.html", {
        "instrument": shown,
        "matrix": [(a, [matrix[a.id][lvl.id] for lvl in shown.levels])
                   for a in shown.areas_for_action],
        "summary": summarize(shown),  # in the reader's language
        "languages": languages,
        "language_names": _language_names(languages),
    })


@login_required
@require_GET
def instrument_questionnaire(request, instrument_id, version):
    """The blank questionnaire of a stakeholder group (GET ``group``, ``lang``) as a PDF."""
    try:
        instrument = app_library().get(instrument_id, version)
    except LookupError:
        raise Http404 from None
    group = request.GET.get("group", "")
    languages = questionnaire_languages(instrument)
    current = (get_language() or "en").split("-")[0]
    lang = request.GET.get("lang") or (current if current in languages else "en")
    if group not in {g.id for g in instrument.stakeholder_groups} or lang not in languages:
        raise Http404
    response = HttpResponse(questionnaire_pdf(instrument, group=group, lang=lang),
                            content_type="application/pdf")
    name = f"questionnaire-{instrument.id}-{instrument.version}-{group}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _in_interface_order(codes):
    """The languages as the language menu lists them (settings.LANGUAGES), then the others
    alphabetically."""
    order = {code: i for i, (code, _name) in enumerate(settings.LANGUAGES)}
    return sorted(codes, key=lambda c: (order.get(c, len(order)), c))


def _language_names(codes):
    """(code, name in that language) for the instrument's languages."""
    out = []
    for code in codes:
        try:
            out.append((code, get_language_info(code)["name_local"]))
        except KeyError:
            out.append((code, code))
    return out


@never_cache
@require_GET
def healthz(request):
    """200 when the app can reach its database; for load balancers and monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _localized(library, instrument):
    lang = (get_language() or "en").split("-")[0]
    if lang not in library.languages(instrument):
        return instrument
    return library.localized(instrument, lang)
