"""Charts of a report as Vega-Lite specifications (Altair), each with its data as a table.

The same specification is drawn interactive in the browser (vega-embed from our own
static files, ``acsreview/charts.js``) and as SVG in the PDF (vl-convert). Every chart
carries its data as a table of text, which pages and PDFs show as its text
alternative: a figure is never only in a picture. "Not known" stays not known: a
missing value is left out of the drawing and written as such in the table.

Callers pass labels already in the reader's language; the few words here go through
Django's translation.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

import altair as alt
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import draw

NOT_KNOWN = "\u2014"
#: Colours that stay apart for the common colour-vision deficiencies (Okabe & Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
#: The generic family, not a named one: vl-convert measures every label with it, and a
#: named family ("DejaVu Sans, ...") makes that measuring twice as slow (0.16 s against
#: 0.09 s a chart) for the same widths, since its sans-serif is that font here.
FONT = "sans-serif"


@dataclass(frozen=True)
class Chart:
    id: str  # unique on a page: an HTML id
    title: str
    description: str  # what it shows, in a sentence: the short text alternative
    spec: dict
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"


@dataclass(frozen=True)
class Figure:
    """A chart as a page or a PDF shows it: drawn (``drawing``) for a PDF, not in a page.

    Its text alternative is its own data table, unless ``data_table`` names the id of a
    table of the report that already gives the same figures: then ``data_note`` (a
    sentence) points the reader there instead of printing the figures twice.
    """

    chart: Chart
    drawing: draw.Drawing | None = None
    data_table: str = ""
    data_note: str = ""
    url: str = ""  # where a PDF being made fetches the drawing (see :func:`deferred`)

    @property
    def svg(self) -> str:
        """The SVG, base64-encoded; empty in a page."""
        if self.drawing is None:
            return ""
        return base64.b64encode(self.drawing.svg().encode("utf-8")).decode("ascii")

    @property
    def src(self) -> str:
        """The image's address in the document: the drawing's ``url`` while a PDF is made
        (:func:`deferred`), else the SVG itself as a ``data:`` URI; empty in a page."""
        if self.drawing is None:
            return ""
        return self.url or f"data:image/svg+xml;base64,{self.svg}"


_DEFERRED: ContextVar[dict | None] = ContextVar("acsreview_deferred_charts", default=None)


@contextmanager
def deferred():
    """Within it, figures for a PDF are drawn in a helper process (:mod:`.draw`) while the
    caller goes on, and get an address instead of their SVG: the dict yielded maps each
    address to its :class:`draw.Drawing`, for :func:`acsreview.reports.pdf.html_to_pdf`'s
    ``resources``."""
    drawings: dict[str, draw.Drawing] = {}
    token = _DEFERRED.set(drawings)
    try:
        yield drawings
    finally:
        _DEFERRED.reset(token)


def figure(chart: Chart, *, pdf: bool, data_table: str = "", data_note: str = "") -> Figure:
    """``chart`` ready for a page (drawn by vega-embed) or a PDF (drawn as SVG);
    ``data_table`` and ``data_note`` as in :class:`Figure`."""
    if bool(data_table) != bool(data_note):
        raise ValueError("a chart pointing to a table needs both its id and a sentence")
    if not pdf:
        return Figure(chart, None, data_table, data_note)
    drawings = _DEFERRED.get()
    drawing = draw.Drawing(chart.spec, deferred=drawings is not None)
    url = ""
    if drawings is not None:
        url = f"acsreview-chart:{chart.id}"
        drawings[url] = drawing
    return Figure(chart, drawing, data_table, data_note, url)


#: A legend of names (measures, types of measure) under the chart, one per line, never cut
#: short: Vega's default cuts a label at 160 px ("Conditional waiver of prosecutio").
WHOLE_LABELS = alt.Legend(orient="bottom", direction="vertical", columns=1, labelLimit=0)


def _config(chart: alt.Chart, title: str, description: str) -> dict:
    # Altair's validation against the Vega-Lite schema took a sixth of a report's charts'
    # time; tests/test_charts.py validates each kind of chart once instead.
    spec = chart.properties(title=title, description=description).configure(
        font=FONT).configure_range(category=PALETTE).configure_view(stroke=None).to_dict(
        validate=False)
    spec.pop("$schema", None)
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json"
    return spec


def text(value, digits: int = 1) -> str:
    """A figure as the reader's language writes it; not known as an em dash."""
    if value is None:
        return NOT_KNOWN
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return number_format(round(float(value), digits), digits)


def stage_chart(stages: Sequence[tuple[str, str]],
                measures: Sequence[tuple[str, str, str, int | None, int | None]]) -> Chart:
    """Measures per CJS stage from arrest to post-sentence, and how much they are used.

    ``stages`` are (id, label) in order; ``measures`` are (name, stage id, type label,
    referred or ordered in the latest year with a figure, that year).
    """
    order = {s: i for i, (s, _label) in enumerate(stages)}
    labels = dict(stages)
    data = [{"stage": labels.get(stage, stage), "order": order.get(stage, len(order)),
             "type": kind, "measure": name, "count": 1}
            for name, stage, kind, _referred, _year in measures]
    totals = []
    for stage_id, label in stages:
        here = [m for m in measures if m[1] == stage_id]
        known = [m[3] for m in here if m[3] is not None]
        years = sorted({m[4] for m in here if m[3] is not None and m[4] is not None})
        volume = (_("%(n)s ordered") % {"n": text(sum(known))}) if known else (
            _("no measure") if not here else _("use not known"))
        totals.append({"stage": label, "order": order[stage_id], "measures": len(here),
                       "volume": volume, "years": ", ".join(map(str, years))})
    ticks = list(range(0, max([t["measures"] for t in totals] + [1]) + 1))
    y_axis = alt.Axis(values=ticks, format="d")
    x = alt.X("stage:N", sort=[label for _s, label in stages], title=_("CJS stage"),
              axis=alt.Axis(labelAngle=0, labelLimit=120))
    bars = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=x, y=alt.Y("sum(count):Q", title=_("Measures"), axis=y_axis),
        color=alt.Color("type:N", title=_("Type"), legend=WHOLE_LABELS),
        tooltip=[alt.Tooltip("stage:N", title=_("CJS stage")),
                 alt.Tooltip("measure:N", title=_("Measure")),
                 alt.Tooltip("type:N", title=_("Type"))])
    labels_layer = alt.Chart(alt.Data(values=totals)).mark_text(dy=-8, fontSize=11).encode(
        x=x, y=alt.Y("measures:Q", title=_("Measures"), axis=y_axis), text="volume:N")
    title = _("Where ACS exist in the criminal justice system")
    description = _("Number of measures at each stage from arrest to post-sentence, by type, "
                    "with the orders made in the latest year with figures.")
    spec = _config(alt.layer(bars, labels_layer).properties(width=520, height=220),
                   title, description)
    return Chart(
        id="chart-stages", title=title, description=description, spec=spec,
        columns=[_("CJS stage"), _("Measures"), _("Orders (latest year)"), _("Year")],
        rows=[[t["stage"], text(t["measures"]), t["volume"], t["years"] or NOT_KNOWN]
              for t in totals])


def utilisation_chart(series: Sequence[tuple[str, int, Decimal | float | None]],
                      rate_label: str) -> Chart:
    """One line per measure: a rate (percent) per year; years not known are gaps."""
    # a year not known stays in, as null: the line breaks there instead of bridging it
    data = [{"measure": m, "year": y, "rate": None if v is None else float(v)}
            for m, y, v in series]
    title = _("%(rate)s by year") % {"rate": rate_label}
    description = _("%(rate)s of each measure per year; years without figures are left "
                    "out, never drawn as zero.") % {"rate": rate_label}
    chart = alt.Chart(alt.Data(values=data)).mark_line(point=True).encode(
        x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rate:Q", title=_("Percent"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("measure:N", title=_("Measure"), legend=WHOLE_LABELS),
        tooltip=[alt.Tooltip("measure:N", title=_("Measure")),
                 alt.Tooltip("year:O", title=_("Year")),
                 alt.Tooltip("rate:Q", title=rate_label, format=".1f")],
    ).properties(width=520, height=220)
    return Chart(
        id="chart-utilisation", title=title, description=description,
        spec=_config(chart, title, description),
        columns=[_("Measure"), _("Year"), rate_label],
        rows=[[m, str(y), text(float(v)) + "%" if v is not None else NOT_KNOWN]
              for m, y, v in series])


def profile_chart(domains: Sequence[tuple[str, float | None, float | None]]) -> Chart:
    """Per domain, the lead's index and the stakeholders' (0-100), side by side."""
    lead, theirs = _("Lead"), _("Stakeholders")
    data = []
    for label, mine, other in domains:
        if mine is not None:
            data.append({"domain": label, "view": lead, "index": round(mine, 1)})
        if other is not None:
            data.append({"domain": label, "view": theirs, "index": round(other, 1)})
    order = [label for label, _m, _o in domains]
    title = _("Barrier profile by domain")
    description = _("Index per domain, 0 (no barrier) to 100 (every question a barrier), "
                    "as the lead and as the stakeholders see it.")
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        y=alt.Y("domain:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("view:N", sort=[lead, theirs]),
        x=alt.X("index:Q", title=_("Index (0-100)"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("view:N", title=None, sort=[lead, theirs]),
        tooltip=[alt.Tooltip("domain:N", title=_("Domain")),
                 alt.Tooltip("view:N", title=_("View")),
                 alt.Tooltip("index:Q", title=_("Index"), format=".0f")],
    ).properties(width=360, height=alt.Step(12))
    return Chart(
        id="chart-profile", title=title, description=description,
        spec=_config(chart, title, description),
        columns=[_("Domain"), lead, theirs],
        rows=[[label, text(m, 0), text(o, 0)] for label, m, o in domains])


def comparison_chart(cells: Sequence[tuple[str, str, float | None]],
                     domains: Sequence[str], jurisdictions: Sequence[str]) -> Chart:
    """Jurisdictions x domains, each cell the index (0-100) written in it."""
    data = [{"jurisdiction": j, "domain": d, "index": round(v, 0)}
            for j, d, v in cells if v is not None]
    title = _("Index by jurisdiction and domain")
    description = _("The lead's index per domain (0-100) for each jurisdiction, over the "
                    "questions every compared review has; empty cells are not known.")
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("domain:N", sort=list(domains), title=None,
                axis=alt.Axis(labelAngle=-40, labelLimit=160)),
        y=alt.Y("jurisdiction:N", sort=list(jurisdictions), title=None))
    heat = base.mark_rect().encode(
        color=alt.Color("index:Q", title=_("Index"), scale=alt.Scale(
            domain=[0, 100], scheme="blues")),
        tooltip=[alt.Tooltip("jurisdiction:N", title=_("Jurisdiction")),
                 alt.Tooltip("domain:N", title=_("Domain")),
                 alt.Tooltip("index:Q", title=_("Index"))])
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("index:Q", format=".0f"),
        color=alt.condition(alt.datum.index > 60, alt.value("white"), alt.value("black")))
    by = {(j, d): v for j, d, v in cells}
    return Chart(
        id="chart-comparison", title=title, description=description,
        spec=_config(alt.layer(heat, labels).properties(
            width=alt.Step(44), height=alt.Step(22)), title, description),
        columns=[_("Jurisdiction"), *domains],
        rows=[[j, *[text(by.get((j, d)), 0) for d in domains]] for j in jurisdictions])


def svg(chart: Chart) -> str:
    """The chart drawn as SVG (for the PDF), by vl-convert: no browser, no network."""
    return draw.svg(chart.spec)
