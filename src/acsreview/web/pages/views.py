"""Public pages: the home page, the instrument, and a health check for load balancers."""

from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from acsreview.core.instrument import shipped_library
from acsreview.core.instrument.summary import area_level_matrix, summarize


@require_GET
def home(request):
    library = shipped_library()
    instrument = library.get("acs-diagnostic")
    return render(request, "pages/home.html", {
        "instrument": _localized(library, instrument),
        "summary": summarize(instrument),
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
    return render(request, "pages/instrument.html", {
        "instrument": shown,
        "matrix": [(a, [matrix[a.id][lvl.id] for lvl in shown.levels])
                   for a in shown.areas_for_action],
        "summary": summarize(instrument),
        "languages": library.languages(instrument),
    })


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
