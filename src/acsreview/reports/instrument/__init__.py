"""Exports of the instrument: XLSForm for ODK/Kobo, JSON, Markdown."""

from .jsonexport import to_json
from .markdown import to_markdown
from .xlsform import to_xlsform

FORMATS = {"xlsform": to_xlsform, "json": to_json, "markdown": to_markdown}

__all__ = ["FORMATS", "to_json", "to_markdown", "to_xlsform"]
