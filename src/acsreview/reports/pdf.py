"""HTML to PDF with WeasyPrint: tagged, titled, in the report's language, and offline.

WeasyPrint fetches nothing from the network: stylesheets and images come from our own
static files or ``data:`` URIs, anything else is refused (a report is sensitive, and
a PDF must render the same on a machine without internet).
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders


class FetchRefused(ValueError):
    pass


def _fetcher(resources=None):
    """A WeasyPrint ``URLFetcher`` serving ``/static/...`` from our static files, ``data:``
    URIs and the charts in ``resources`` (address -> a drawing with ``.svg()``), and
    refusing everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    resources = resources or {}

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url in resources:
                return URLFetcherResponse(url, resources[url].svg().encode("utf-8"),
                                          {"Content-Type": "image/svg+xml"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlparse(url).path
            prefix = settings.STATIC_URL
            found = finders.find(path[len(prefix):]) if path.startswith(prefix) else None
            if not found:
                raise FetchRefused(f"a report may not fetch {url}")
            with open(found, "rb") as fh:
                data = fh.read()
            mime = "text/css" if found.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return StaticOnly()


def html_to_pdf(html: str, *, base_url: str = "http://acsreview.invalid/",
                resources=None) -> bytes:
    """The PDF of ``html``: tagged (PDF/UA structure), with the title and language the
    document's <title> and <html lang> give, and fonts embedded. ``resources`` maps the
    addresses of charts still being drawn (``charts.deferred``) to their drawings:
    WeasyPrint waits for each only when it builds its image."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=_fetcher(resources)).write_pdf(
        pdf_tags=True, pdf_variant="pdf/ua-1", custom_metadata=True)
