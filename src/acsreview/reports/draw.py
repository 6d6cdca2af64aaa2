"""Drawing charts to SVG (vl-convert), in a helper process while a PDF is laid out.

vl-convert holds Python's lock while it draws (about 0.1 s a chart), so a thread would not
help. A PDF's charts are instead handed to one helper process, started the first time a
process makes a PDF (``spawn``: never a fork of a process with threads and database
connections), and drawn there while WeasyPrint parses the report and computes its styles.
WeasyPrint asks for each chart only when it builds the image's box
(:func:`acsreview.reports.pdf.html_to_pdf`'s ``resources``). Where no helper process can be
started, charts are drawn here, as before; the PDF is the same.

This module imports nothing but vl-convert (lazily), so the helper starts quickly.
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

VL_VERSION = "6.4"

_pool: ProcessPoolExecutor | None = None
_broken = False
_lock = threading.Lock()


def svg(spec: dict) -> str:
    """``spec`` (Vega-Lite) drawn as SVG, here and now: no browser, no network."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION)


def _helper() -> ProcessPoolExecutor | None:
    global _pool, _broken
    with _lock:
        if _pool is None and not _broken:
            try:
                _pool = ProcessPoolExecutor(max_workers=1,
                                            mp_context=multiprocessing.get_context("spawn"))
                atexit.register(_pool.shutdown, wait=False, cancel_futures=True)
            except (OSError, ValueError, NotImplementedError):  # no processes here
                _broken = True
        return _pool


class Drawing:
    """One chart's SVG: drawn here at once, or (``deferred``) in the helper process while
    the caller goes on; :meth:`svg` waits for it. If the helper died meanwhile, the chart
    is drawn here instead."""

    def __init__(self, spec: dict, *, deferred: bool):
        self.spec = spec
        self._svg: str | None = None
        self._future: Future | None = None
        pool = _helper() if deferred else None
        if pool is not None:
            try:
                self._future = pool.submit(svg, spec)
            except RuntimeError:  # shut down, or broken by a helper that died
                _forget()
        if self._future is None:
            self._svg = svg(spec)

    def svg(self) -> str:
        if self._svg is None:
            try:
                self._svg = self._future.result(timeout=120)
            except BrokenProcessPool:
                _forget()
                self._svg = svg(self.spec)
        return self._svg


def _forget() -> None:
    """The helper died: the next chart starts a new one."""
    global _pool
    with _lock:
        _pool = None
