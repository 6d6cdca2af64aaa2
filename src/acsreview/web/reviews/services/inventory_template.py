"""The inventory workbook as a template: a sheet per part of the inventory, a README saying
what each column takes, and drop-downs and number checks so that Excel catches most mistakes
before the importer has to.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from acsreview.core.instrument import Instrument

from ..models import Indicator, MeasureStat, Review
from .inventory_sheets import (
    INDICATOR_COLUMNS,
    INDICATORS,
    MAX_ROWS,
    MEASURE_COLUMNS,
    MEASURE_FIELDS,
    MEASURES,
    README,
    STAT_COLUMNS,
    STAT_FIELDS,
    STATISTICS,
    YEAR_MAX,
    YEAR_MIN,
)


def _readme_rows(instrument: Instrument) -> list[tuple[str, str, str]]:
    stages = "; ".join(f"{s.id} = {s.label}" for s in instrument.cjs_stages)
    types = "; ".join(f"{t.id} = {t.label}" for t in instrument.measure_types)
    indicators = "; ".join(f"{i.value} = {i.label}" for i in Indicator)
    counts = _("A whole number, 0 or more. Leave blank when not known: never write 0 for "
               "not known.")
    return [
        (MEASURES, "name", _("The measure's name, as it is known in the country. One row per "
                             "measure; the statistics sheet refers to it by this name.")),
        (MEASURES, "type", _("The kind of measure, one of (its code or its label): "
                             "%(list)s.") % {"list": types}),
        (MEASURES, "stage", _("The stage of the criminal justice system, from arrest to "
                              "post-sentence, one of (its code or its label): %(list)s.")
         % {"list": stages}),
        (MEASURES, "legal_basis", _("The law or regulation the measure rests on.")),
        (MEASURES, "eligible_offences", _("Which offences make a person eligible.")),
        (MEASURES, "eligible_drugs", _("Which drugs or kinds of drug use are covered.")),
        (MEASURES, "eligible_prior_record", _("What prior criminal record still allows or "
                                              "excludes it.")),
        (MEASURES, "rehabilitative_element", _("The treatment, education or reintegration it "
                                               "involves.")),
        (MEASURES, "geographic_scope", _("Where it is available: nationwide, some regions, a "
                                         "pilot city…")),
        (MEASURES, "delivered_by", _("Who delivers it (e.g. probation, health services, "
                                     "NGOs).")),
        (MEASURES, "paid_by", _("Who pays for it.")),
        (MEASURES, "notes", _("Anything else worth knowing.")),
        (STATISTICS, "measure", _("The name of a measure on the measures sheet or already in "
                                  "the review.")),
        (STATISTICS, "year", _("The year the figures are for (%(min)d to %(max)d). One row per "
                               "measure and year.") % {"min": YEAR_MIN, "max": YEAR_MAX}),
        (STATISTICS, "eligible", _("Cases eligible for the measure. ") + counts),
        (STATISTICS, "referred", _("Cases referred to or ordered into the measure. ") + counts),
        (STATISTICS, "started", _("Cases that started it; at most the number referred. ")
         + counts),
        (STATISTICS, "completed", _("Cases that completed it; at most the number started. ")
         + counts),
        (STATISTICS, "breached", _("Cases that breached its conditions; at most the number "
                                   "started. ") + counts),
        (STATISTICS, "source", _("Where the figures come from.")),
        (INDICATORS, "year", _("The year of the value (%(min)d to %(max)d). One row per "
                               "indicator and year.") % {"min": YEAR_MIN, "max": YEAR_MAX}),
        (INDICATORS, "indicator", _("Which indicator, one of: %(list)s.")
         % {"list": indicators}),
        (INDICATORS, "value", _("The value: a number, 0 or more (percentages as numbers, "
                                "e.g. 112.5). Leave blank when not known.")),
        (INDICATORS, "source", _("Where the value comes from. Required.")),
    ]


def _list_validation(ws, column_letter: str, values: list[str], title: str,
                     lists_ws=None, lists_column: str = "A") -> DataValidation:
    inline = ",".join(values)
    if len(inline) <= 250 or lists_ws is None:
        formula = f'"{inline}"'
    else:  # Excel allows 255 characters in an inline list: use a hidden sheet's range
        for i, v in enumerate(values, start=1):
            lists_ws[f"{lists_column}{i}"] = v
        formula = f"lists!${lists_column}$1:${lists_column}${len(values)}"
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorTitle=title,
                        error=_("Choose a value from the list."))
    ws.add_data_validation(dv)
    dv.add(f"{column_letter}2:{column_letter}{MAX_ROWS + 1}")
    return dv


def _whole_validation(ws, columns: str, low: int, high: int | None = None):
    if high is None:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(low),
                            allow_blank=True, showErrorMessage=True,
                            error=_("A whole number, 0 or more; blank when not known."))
    else:
        dv = DataValidation(type="whole", operator="between", formula1=str(low),
                            formula2=str(high), allow_blank=True, showErrorMessage=True,
                            error=_("A year between %(min)d and %(max)d.")
                            % {"min": low, "max": high})
    ws.add_data_validation(dv)
    for column in columns.split():
        dv.add(f"{column}2:{column}{MAX_ROWS + 1}")


def _sheet(wb: Workbook, title: str, columns: list[str], widths: dict[str, int],
           first: bool = False):
    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = widths.get(column, 18)
    return ws


def build_template(instrument: Instrument, review: Review | None = None) -> Workbook:
    """The inventory workbook: measures, statistics, indicators and a README.

    With ``review``, its current inventory fills the sheets, ready to edit and import again.
    """
    wb = Workbook()
    measures = _sheet(wb, MEASURES, MEASURE_COLUMNS, {"name": 36, "legal_basis": 30,
                                                      "rehabilitative_element": 30,
                                                      "notes": 30}, first=True)
    statistics = _sheet(wb, STATISTICS, STAT_COLUMNS, {"measure": 36, "year": 8,
                                                       "source": 40})
    indicators = _sheet(wb, INDICATORS, INDICATOR_COLUMNS, {"year": 8, "indicator": 24,
                                                            "value": 14, "source": 40})
    readme = wb.create_sheet(README)
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"

    _list_validation(measures, "B", [t.id for t in instrument.measure_types],
                     _("Measure type"), lists, "A")
    _list_validation(measures, "C", [s.id for s in instrument.cjs_stages],
                     _("CJS stage"), lists, "B")
    _list_validation(indicators, "B", [i.value for i in Indicator], _("Indicator"), lists, "C")
    _whole_validation(statistics, "C D E F G", 0)
    _whole_validation(statistics, "B", YEAR_MIN, YEAR_MAX)
    _whole_validation(indicators, "A", YEAR_MIN, YEAR_MAX)
    if lists.max_row == 1 and lists["A1"].value is None:
        wb.remove(lists)

    readme.append([_("The ACS inventory of %(instrument)s %(version)s")
                   % {"instrument": instrument.title, "version": instrument.version}])
    readme["A1"].font = Font(bold=True, size=14)
    readme.append([_("Fill in the sheets measures, statistics and indicators, one row each, "
                     "then import the file (web: the review's inventory, Import; command "
                     "line: acsreview inventory import REVIEW FILE).")])
    readme.append([_("A blank cell means not known: never write 0 for not known. Rows are "
                     "matched by measure name, (measure, year) and (indicator, year): "
                     "importing again updates them, it does not duplicate them. A row's blank "
                     "cells replace what was there.")])
    readme.append([_("Nothing is imported if any row has a problem: the import lists every "
                     "problem by sheet, row and column.")])
    readme.append([])
    readme.append([_("sheet"), _("column"), _("what to write")])
    header_row = readme.max_row
    for cell in readme[header_row]:
        cell.font = Font(bold=True)
    for row in _readme_rows(instrument):
        readme.append(list(row))
    readme.column_dimensions["A"].width = 14
    readme.column_dimensions["B"].width = 24
    readme.column_dimensions["C"].width = 100
    for row in readme.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    if review is not None:
        for m in review.measures.all():
            _append_as_data(measures, [getattr(m, MEASURE_FIELDS[c]) for c in MEASURE_COLUMNS])
        for s in MeasureStat.objects.filter(measure__review=review).select_related("measure"):
            _append_as_data(statistics, [s.measure.name, s.year,
                                         *(getattr(s, c) for c in STAT_FIELDS)])
        for i in review.indicators.all():
            _append_as_data(indicators, [i.year, i.indicator, i.value, i.source])
    return wb


def _append_as_data(sheet, values) -> None:
    """A row of people's text, never a formula: openpyxl would store "=..." as one, to run
    in the spreadsheet of whoever opens the file (formula injection)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
