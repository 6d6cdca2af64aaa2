"""Downloads of open data: one review, or every review the person may read.

The same files as `acsreview export` (:func:`acsreview.reports.exports.export`): the
consultation's published figures only, no e-mail address or name of anyone.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from acsreview.reports.exports import FORMATS, SUFFIX, export

from ..access import READ, visible_reviews
from .common import review_view

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "application/zip", "json": "application/json",
        "datapackage": "application/zip"}


def _download(reviews, fmt: str, stem: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    name = f"{stem}{'-datapackage' if fmt == 'datapackage' else ''}{SUFFIX[fmt]}"
    with tempfile.TemporaryDirectory(prefix="acsreview-export-") as folder:
        path = export(list(reviews), fmt, Path(folder) / name)
        data = path.read_bytes()
    response = HttpResponse(data, content_type=MIME[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@review_view(READ)
def review_export(request, review, role, fmt):
    return _download([review], fmt, f"acsreview-{review.slug}")


@login_required
def all_export(request, fmt):
    reviews = visible_reviews(request.user).order_by("jurisdiction__code", "round")
    return _download(reviews, fmt, "acsreview-reviews")
