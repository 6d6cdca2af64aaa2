"""Limits on what people upload: the size of a request, and workbooks safe to open.

A request body larger than ``MAX_REQUEST_BYTES`` is refused before Django reads it (the
import forms say their own, smaller limits). An XLSX file is a zip of XML parts: before
openpyxl opens one, :func:`check_workbook` refuses a zip bomb (parts that unpack to far
more than any real workbook) and XML that declares a DTD or entities (billion laughs,
external entities: no workbook needs them). openpyxl also parses through defusedxml, which
refuses entities again should one get past.
"""

from __future__ import annotations

import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.shortcuts import render
from django.utils.translation import gettext as _

# The largest upload (field exports, 10 MB) and room for the rest of the form.
MAX_UPLOAD_MB = 10
MAX_REQUEST_BYTES = (MAX_UPLOAD_MB + 2) * 1024 * 1024

MAX_PARTS = 1000  # an XLSX has a dozen parts, and a few per sheet
MAX_UNPACKED = 1024 * 1024 * 1024  # all parts together, unpacked
MAX_RATIO = 100  # unpacked / packed of a large part: real sheets are 10 to 25
LARGE_PART = 1024 * 1024  # smaller parts may be as compressible as they like


def limit_request_size(get_response):
    """Middleware: 413 for a request body over ``MAX_REQUEST_BYTES``, unread."""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_REQUEST_BYTES:
            return render(request, "uploads/too_large.html", {
                "size": f"{length / 1024 / 1024:.0f}", "max": MAX_UPLOAD_MB}, status=413)
        return get_response(request)

    return middleware


class UnsafeWorkbook(ValueError):  # noqa: N818 - reads as what it is: the workbook is unsafe
    """The file must not be opened as a workbook; the message says why, for people."""


def check_workbook(source) -> None:
    """Refuse the XLSX ``source`` (a path or a binary file, rewound after) if opening it
    could exhaust the server; raises :class:`UnsafeWorkbook`. Anything else wrong with
    the file is left for openpyxl to find."""
    start = source.tell() if hasattr(source, "tell") else None
    try:
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return
        with archive:
            _check_sizes(archive.infolist())
            for info in archive.infolist():
                _check_prolog(archive, info)
    finally:
        if start is not None:
            source.seek(start)


def _check_sizes(parts: list[zipfile.ZipInfo]) -> None:
    # zipfile never yields more than a part's stated size, so the stated sizes bound the
    # work, whatever the compressed data would really unpack to.
    if len(parts) > MAX_PARTS:
        raise UnsafeWorkbook(_("it holds %(n)s parts, more than any workbook (at most "
                               "%(max)s)") % {"n": f"{len(parts):,}", "max": f"{MAX_PARTS:,}"})
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED:
        raise UnsafeWorkbook(_("it unpacks to %(size)s MB, more than the %(max)s MB a "
                               "workbook may") % {"size": f"{unpacked // 2**20:,}",
                                                  "max": f"{MAX_UNPACKED // 2**20:,}"})
    for p in parts:
        if p.file_size > LARGE_PART and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            raise UnsafeWorkbook(_("its part %(part)s is compressed %(ratio)s times, as only "
                                   "a zip bomb is") % {
                "part": p.filename, "ratio": f"{p.file_size // max(p.compress_size, 1):,}"})


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part whose XML declares a DTD; a DTD can only come before the root
    element, so parsing stops there. A part that is not XML is left alone."""
    if info.is_dir():
        return
    try:
        with archive.open(info) as stream:
            for _event in iterparse(stream, events=("start",), forbid_dtd=True):
                return
    except DefusedXmlException:
        raise UnsafeWorkbook(_("its part %(part)s declares a DTD or XML entities, which "
                               "workbooks never use") % {"part": info.filename}) from None
    except Exception:  # noqa: BLE001, S110 - not XML (an image, say): openpyxl decides
        return
