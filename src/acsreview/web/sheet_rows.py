"""Reading the rows of an uploaded workbook's sheet without trusting the file.

openpyxl opens a workbook in read-only mode lazily: ``load_workbook`` reads only the list
of sheets, and each sheet's XML is parsed as its rows are asked for. A file whose zip opens
but whose sheet is broken (XML that does not parse, a cell reference or a number that
cannot be, a shared string that is not there, a part that does not unpack) fails only then,
and in many ways. :func:`sheet_rows` turns every such failure into one
:class:`UnreadableSheet` naming the sheet and the row, for the importer to report as it
reports any other problem.
"""

from __future__ import annotations

from collections.abc import Iterator


class UnreadableSheet(Exception):  # noqa: N818 - reads as what it is: the sheet is unreadable
    """A sheet of the workbook cannot be read; ``row`` is the first row that could not.

    The XML is parsed in chunks, so the break itself may lie a little further on.
    """

    def __init__(self, sheet: str, row: int):
        super().__init__(f"{sheet}: row {row}")
        self.sheet = sheet
        self.row = row


def sheet_rows(ws, max_col: int) -> Iterator[tuple[int, tuple]]:
    """The rows of the read-only sheet ``ws`` as (row number, values), up to ``max_col``.

    Raises :class:`UnreadableSheet` as soon as a row cannot be read. Only openpyxl's reading
    is guarded: what the caller does with a row is its own affair.
    """
    ws.reset_dimensions()  # do not trust the stored dimension: read what is there
    rows = ws.iter_rows(values_only=True, max_col=max_col)
    number = 1
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        # A broken part fails in whatever way the XML parser, the zip reader or openpyxl's
        # cell conversion happens to: ParseError, ValueError, IndexError, KeyError, zlib
        # and BadZipFile errors have all been seen. None of them is a fault of the caller.
        except Exception:
            raise UnreadableSheet(ws.title, number) from None
        yield number, values
        number += 1
