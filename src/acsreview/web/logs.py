"""Logging filters of the web app (settings.LOGGING)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class RefusalsInOneLine(logging.Filter):
    """Django logs a refused request ("Forbidden (Permission denied): /path") with the
    PermissionDenied's traceback; a refusal is the permission rules working, so it is kept
    as its one line and the traceback, which tells nothing more, is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
