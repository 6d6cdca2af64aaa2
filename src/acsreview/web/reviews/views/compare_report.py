"""The comparative report of a round, as a page or a PDF: for coordinators only.

GET ``round`` (default: the latest), ``codes`` (jurisdiction codes, comma-separated or
repeated; default: every jurisdiction of the round), ``format`` (html or pdf) and
``lang`` (a language of the interface; default: the reader's). The compare page's form
also sends ``picked``: ticking no jurisdiction there is a mistake, not "all of them".
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from acsreview.reports.comparative import comparative_pdf, render_report

from ..models import Review

FORMATS = ("html", "pdf")


def _round(request) -> int:
    wanted = request.GET.get("round", "")
    if wanted:
        try:
            return int(wanted)
        except ValueError:
            raise Http404 from None
    latest = Review.objects.order_by("-round").values_list("round", flat=True).first()
    if latest is None:
        raise Http404
    return latest


def _codes(request) -> list[str]:
    return [c.strip().upper() for value in request.GET.getlist("codes")
            for c in value.split(",") if c.strip()]


def _lang(request) -> str:
    known = [code for code, _name in settings.LANGUAGES]
    wanted = request.GET.get("lang") or (get_language() or "en").split("-")[0]
    return wanted if wanted in known else "en"


@login_required
@require_GET
def compare_report(request):
    if not request.user.is_coordinator:
        return render(request, "403.html", status=403)
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        return HttpResponseBadRequest("format: html or pdf")
    round_ = _round(request)
    reviews = list(Review.objects.filter(round=round_).select_related("jurisdiction")
                   .order_by("jurisdiction__code"))
    codes = _codes(request)
    if not codes and request.GET.get("picked"):
        messages.error(request, _("Tick at least one jurisdiction for the report."))
        return redirect(f"{reverse('reviews:compare')}?round={round_}#report")
    if codes:
        known = {r.jurisdiction.code for r in reviews}
        if any(c not in known for c in codes):
            raise Http404  # a jurisdiction without a review in that round
        reviews = [r for r in reviews if r.jurisdiction.code in codes]
    if not reviews:
        raise Http404
    lang = _lang(request)
    if fmt == "pdf":
        response = HttpResponse(comparative_pdf(reviews, round=round_, lang=lang),
                                content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="acsreview-comparative-{round_}-{lang}.pdf"')
        return response
    return HttpResponse(render_report(reviews, round=round_, lang=lang, request=request))
