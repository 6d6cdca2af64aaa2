"""The inventory workbook's shape, shared by the reader, the writer and the template: its
sheets and columns, the limits a file must keep within, and how a problem is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import MeasureStat

MAX_BYTES = 5 * 1024 * 1024  # the web upload's limit
MAX_ROWS = 10_000  # data rows per sheet
MAX_COLUMNS = 60  # header cells looked at
MAX_COUNT = 2_147_483_647  # what a PositiveIntegerField holds on every database
YEAR_MIN, YEAR_MAX = 1990, 2100
INDICATOR_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2

MEASURES, STATISTICS, INDICATORS, README = "measures", "statistics", "indicators", "README"
MEASURE_COLUMNS = ["name", "type", "stage", "legal_basis", "eligible_offences",
                   "eligible_drugs", "eligible_prior_record", "rehabilitative_element",
                   "geographic_scope", "delivered_by", "paid_by", "notes"]
STAT_COLUMNS = ["measure", "year", *MeasureStat.COUNTS, "source"]
INDICATOR_COLUMNS = ["year", "indicator", "value", "source"]
COLUMNS = {MEASURES: MEASURE_COLUMNS, STATISTICS: STAT_COLUMNS, INDICATORS: INDICATOR_COLUMNS}

# Measure fields as the workbook names them (the model says measure_type for "type").
MEASURE_FIELDS = {c: ("measure_type" if c == "type" else c) for c in MEASURE_COLUMNS}
STAT_FIELDS = [*MeasureStat.COUNTS, "source"]


# --- problems and the summary -------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where it is (sheet, row, column) and what it is."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return _("%(sheet)s: %(problem)s") % {"sheet": self.sheet, "problem": self.message}
        if self.column is None:
            return _("%(sheet)s row %(row)s: %(problem)s") % {
                "sheet": self.sheet, "row": self.row, "problem": self.message}
        return _("%(sheet)s row %(row)s, column %(column)s: %(problem)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column,
            "problem": self.message}


class ImportFailed(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
