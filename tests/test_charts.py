"""Report charts: Vega-Lite specs with their data as a table; not known is never zero."""

from decimal import Decimal

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
