"""Report charts: Vega-Lite specs with their data as a table; not known is never zero."""

from decimal import Decimal

import pytest

from acsreview.reports import charts

STAGES = [("police_arrest", "Police / arrest"), ("prosecution", "Prosecution"),
          ("sentencing", "Sentencing")]


def values(chart):
    data = chart.spec.get("data") or {}
    found = list(data.get("values", []))
    for layer in chart.spec.get("layer", []):
        found += layer.get("data", {}).get("values", [])
    return found


def test_the_stage_chart_counts_measures_and_says_where_use_is_not_known():
    chart = charts.stage_chart(STAGES, [
        ("Caution", "police_arrest", "Diversion", None, None),
        ("Drug court", "sentencing", "Treatment", 120, 2025),
        ("Suspended", "sentencing", "Suspended sentence", 80, 2024)])
    assert chart.rows == [["Police / arrest", "1", "use not known", "—"],
                          ["Prosecution", "0", "no measure", "—"],
                          ["Sentencing", "2", "200 ordered", "2024, 2025"]]
    assert chart.spec["$schema"].endswith("/v6.json")
    assert chart.spec["description"] == chart.description
    svg = charts.svg(chart)
    assert svg.startswith("<svg") and "no measure" in svg


def test_a_year_not_known_is_a_gap_in_the_line_and_a_dash_in_the_table():
    chart = charts.utilisation_chart([("Drug court", 2022, Decimal("25.0")),
                                      ("Drug court", 2023, None),
                                      ("Drug court", 2024, Decimal("28.5"))], "Use rate")
    rates = {v["year"]: v["rate"] for v in values(chart)}
    assert rates == {2022: 25.0, 2023: None, 2024: 28.5}  # null breaks the line: never 0
    assert chart.rows == [["Drug court", "2022", "25.0%"], ["Drug court", "2023", "—"],
                          ["Drug court", "2024", "28.5%"]]


def test_profile_and_comparison_charts_leave_unknown_cells_out():
    profile = charts.profile_chart([("Regulation", 50.0, None), ("Access", None, 20.0)])
    assert sorted((v["domain"], v["view"]) for v in values(profile)) == [
        ("Access", "Stakeholders"), ("Regulation", "Lead")]
    assert profile.rows == [["Regulation", "50", "—"], ["Access", "—", "20"]]
    heat = charts.comparison_chart([("XA", "Reg", 50.0), ("XB", "Reg", None)], ["Reg"],
                                   ["XA", "XB"])
    assert [v["jurisdiction"] for v in values(heat)] == ["XA"]  # XB not known: no cell
    assert heat.rows == [["XA", "50"], ["XB", "—"]]


def test_a_figure_for_a_pdf_carries_its_svg_and_one_for_a_page_does_not():
    chart = charts.profile_chart([("Regulation", 50.0, 40.0)])
    assert charts.figure(chart, pdf=False).svg == ""
    assert len(charts.figure(chart, pdf=True).svg) > 100


def test_every_kind_of_chart_is_valid_vega_lite():
    # the reports build their specs without Altair's validation (it is slow): checked here
    import altair as alt
    from altair.utils.schemapi import validate_jsonschema

    schema = alt.vegalite.v6.schema.load_schema()
    built = [
        charts.stage_chart(STAGES, [("Caution", "police_arrest", "Diversion", 10, 2025)]),
        charts.utilisation_chart([("Drug court", 2024, Decimal("28.5")),
                                  ("Drug court", 2025, None)], "Use rate"),
        charts.profile_chart([("Regulation", 50.0, None)]),
        charts.comparison_chart([("XA", "Reg", 50.0)], ["Reg"], ["XA"]),
    ]
    for chart in built:
        validate_jsonschema(chart.spec, schema)  # raises on any error


def test_a_chart_points_to_a_table_only_with_a_sentence_saying_so():
    chart = charts.profile_chart([("Regulation", 50.0, 40.0)])
    figure = charts.figure(chart, pdf=False, data_table="profile-table",
                           data_note="The figures are in the table below.")
    assert (figure.data_table, figure.data_note) == (
        "profile-table", "The figures are in the table below.")
    with pytest.raises(ValueError):
        charts.figure(chart, pdf=False, data_table="profile-table")


def test_a_pdf_being_made_fetches_each_chart_from_its_drawing():
    """Within charts.deferred(), a figure for a PDF names its drawing by an address, drawn in
    the helper process meanwhile; the SVG is the one drawn here."""
    chart = charts.profile_chart([("Regulation", 50.0, 40.0)])
    here = charts.svg(chart)
    with charts.deferred() as drawings:
        fig = charts.figure(chart, pdf=True)
    assert fig.src == f"acsreview-chart:{chart.id}" and fig.url == fig.src
    assert list(drawings) == [fig.src]
    assert drawings[fig.src].svg() == here
    outside = charts.figure(chart, pdf=True)  # outside it: the SVG itself, inline
    assert outside.url == "" and outside.src.startswith("data:image/svg+xml;base64,")
    assert charts.figure(chart, pdf=False).src == ""


def test_without_a_helper_process_the_chart_is_drawn_here(monkeypatch):
    from acsreview.reports import draw

    monkeypatch.setattr(draw, "_helper", lambda: None)
    chart = charts.profile_chart([("Regulation", 50.0, 40.0)])
    drawing = draw.Drawing(chart.spec, deferred=True)
    assert drawing._future is None and drawing.svg() == charts.svg(chart)


def test_a_helper_that_dies_leaves_the_chart_drawn_here(monkeypatch):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from acsreview.reports import draw

    class Dead:
        def submit(self, *args):
            future = Future()
            future.set_exception(BrokenProcessPool("the helper died"))
            return future

    monkeypatch.setattr(draw, "_helper", lambda: Dead())
    monkeypatch.setattr(draw, "_pool", Dead())
    chart = charts.profile_chart([("Regulation", 50.0, 40.0)])
    drawing = draw.Drawing(chart.spec, deferred=True)
    assert drawing.svg() == charts.svg(chart)
    assert draw._pool is None  # the next chart starts a new helper


def test_the_pdf_fetches_only_its_own_charts():
    from acsreview.reports.pdf import FetchRefused, _fetcher

    class Drawn:
        def svg(self):
            return "<svg xmlns='http://www.w3.org/2000/svg'/>"

    fetch = _fetcher({"acsreview-chart:chart-x": Drawn()}).fetch
    assert fetch("acsreview-chart:chart-x").headers["Content-Type"] == "image/svg+xml"
    with pytest.raises(FetchRefused):
        fetch("acsreview-chart:chart-y")


def test_legends_show_whole_names_however_long():
    """Vega cuts a legend label at 160 px by default: in the PDF, "Conditional waiver of
    prosecutio". Names of measures and types are printed whole, under the chart."""
    long = "Treatment as a condition of pre-trial release (a rather long measure name)"
    chart = charts.utilisation_chart([(long, 2024, Decimal("28.5")),
                                      ("Drug court", 2024, Decimal("40"))], "Use rate")
    assert long in legend_labels(charts.svg(chart))
    kind = "Conditional waiver of prosecution with a treatment requirement"
    stages = charts.stage_chart(STAGES, [("Waiver", "police_arrest", kind, None, None)])
    assert legend_labels(charts.svg(stages)) == [kind]


def legend_labels(svg: str) -> list[str]:
    import re

    return re.findall(r'role-legend-label"[^>]*>(?:<[^>]*>)*?<text[^>]*>([^<]*)</text>', svg)
