"""Exports of one review or of many: XLSX, CSV, JSON and a Frictionless Data Package.

:func:`export` is what the command line (`acsreview export`) and the web app's
downloads both call, so that a file is the same whichever way it was asked for.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ..files import like_a_new_file
from .table import Field, Table, neutralise
from .writers import FORMATS, write

__all__ = ["FORMATS", "SUFFIX", "Field", "Table", "export", "export_meta", "neutralise"]

#: The file suffix of each format (several CSV files come zipped).
SUFFIX = {"xlsx": ".xlsx", "csv": ".zip", "json": ".json", "datapackage": ".zip"}

SYNTHETIC = ("Synthetic demo data about fictional jurisdictions (ISO 3166 user-assigned "
             "codes): not facts about any real country.")


def export_meta(reviews: Sequence, name: str) -> dict:
    """The descriptive metadata of an export of ``reviews``."""
    demo = any(r.jurisdiction.is_demo for r in reviews)
    slugs = ", ".join(r.slug for r in reviews) or "no reviews"
    description = (f"acsreview export of {slugs}: inventory of alternatives to coercive "
                   "sanctions, diagnostic answers, barrier profile, published stakeholder "
                   "figures (small groups suppressed) and action plan.")
    return {
        "name": name, "title": f"acsreview export: {slugs}" + (" (DEMO)" if demo else ""),
        "description": f"{SYNTHETIC} {description}" if demo else description,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "sources": [{"title": "acsreview", "path": "docs/methodology.md"}],
    }


def export(reviews: Sequence, fmt: str, path: Path,
           progress: Callable[[int, int], None] | None = None) -> Path:
    """Write ``reviews`` (already filtered to what the reader may see) to ``path``.

    The file appears whole or not at all: it is written beside ``path`` and renamed.
    """
    from .review_tables import review_tables

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    name = "acsreview-" + ("-".join(r.slug.lower() for r in reviews)
                           if len(reviews) == 1 else "export")
    tables = review_tables(reviews, progress)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".export-", dir=path.parent or Path("."))
    os.close(fd)
    try:
        write(fmt, tables, Path(tmp), meta=export_meta(reviews, name))
        like_a_new_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
