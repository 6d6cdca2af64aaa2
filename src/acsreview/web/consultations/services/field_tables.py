"""Reading the submissions exported by ODK Central and KoboToolbox: CSV or XLSX, and what
each column of the header means.

Headers are plain (``SYS_REG_01``), or carry their group path joined by ``-`` (ODK
Central: ``SYS_REG-SYS_REG_01``, ``meta-instanceID``) or by ``/`` (Kobo:
``SYS_REG/SYS_REG_01``, ``meta/instanceID``). Field names hold neither character, so the
last segment of a header is the field it holds. Only the columns named here are ever read:
device ids, submitter names, IP addresses and locations are left in the file.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from acsreview.core.instrument import AnswerType, Instrument, iter_questions
from acsreview.core.instrument.select import field_name
from acsreview.web.sheet_rows import UnreadableSheet, sheet_rows
from acsreview.web.uploads import UnsafeWorkbook, check_workbook

from .field_forms import CONSULTATION_FIELD, LANGUAGE_FIELD

MAX_BYTES = 10 * 1024 * 1024  # what the web accepts; the command line takes any size
MAX_COLUMNS = 2000
# Where a submission's id is, best first: ODK Central's KEY and Kobo's rootUuid stay the
# same when a submission is edited; instanceID and Kobo's _uuid change with every edit.
INSTANCE_FIELDS = ["KEY", "rootUuid", "instanceID", "_uuid"]
DATE_FIELDS = ["SubmissionDate", "_submission_time"]  # ODK Central, Kobo
GROUP_FIELD = "stakeholder_group"
INSTRUMENT_FIELDS = ["instrument_id", "instrument_version"]
UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Rejection:
    """One thing wrong: the file, the row (header is row 1) and column, and what it is."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = {"file": self.file, "row": self.row, "column": self.column,
                 "reason": self.reason}
        if self.row is None and self.column is None:
            return _("%(file)s: %(reason)s") % where
        if self.row is None:
            return _("%(file)s, column %(column)s: %(reason)s") % where
        if self.column is None:
            return _("%(file)s, row %(row)s: %(reason)s") % where
        return _("%(file)s, row %(row)s, column %(column)s: %(reason)s") % where


class FieldImportFailed(Exception):
    """The file cannot be read as an export of a field form; nothing was written."""

    def __init__(self, problems: list[Rejection]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (row number in the file, cells), blank rows left out


@dataclass
class Columns:
    """Where each field is in the header: column indexes, and the header as written."""

    header: list[str]
    instance: list[int]  # best first: a row's id is in the first of them that is not blank
    consultation: int
    group: int
    questions: dict[int, str]  # column -> question id
    language: int | None = None
    date: int | None = None
    instrument: dict[str, int] = field(default_factory=dict)


def leaf(header: str) -> str:
    """The field a header holds: ``SYS_REG-SYS_REG_01`` and ``meta/instanceID`` -> the last."""
    return re.split(r"[/-]", header.strip())[-1]


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- reading ------------------------------------------------------------------------------

def read_table(source, name: str) -> Table:
    """The header and non-blank rows of ``source``: a path, or a binary file object."""
    try:
        stream = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    except OSError as exc:
        raise FieldImportFailed([Rejection(name, None, None, _("cannot read: %(why)s") % {
            "why": exc.strerror or exc})]) from None
    try:
        head = stream.read(4)
        stream.seek(0)
        if head == XLSX_MAGIC:
            return _read_xlsx(stream, name)
        if name.lower().endswith((".xlsx", ".xls", ".ods")) or b"\x00" in head:
            raise FieldImportFailed([Rejection(name, None, None, _(
                "this is neither a CSV file nor an Excel workbook (.xlsx)"))])
        return _read_csv(stream, name)
    finally:
        if stream is not source:
            stream.close()


def _read_csv(stream, name: str) -> Table:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        delimiter = max([",", ";", "\t"], key=first.count)
        reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
        header = next(reader, None)
        rows = [(number, values) for number, values in enumerate(reader, start=2)
                if any(v.strip() for v in values)]
    except UnicodeDecodeError:
        raise FieldImportFailed([Rejection(name, None, None, _(
            "this file is not UTF-8 text: export it again from ODK Central or KoboToolbox "
            "as CSV (UTF-8) or XLSX"))]) from None
    except csv.Error as exc:
        raise FieldImportFailed([Rejection(name, None, None, _(
            "this is not a readable CSV file: %(why)s") % {"why": exc})]) from None
    finally:
        text.detach()  # leave the caller's file open
    return _table(name, header, rows)


def _read_xlsx(stream, name: str) -> Table:
    try:
        check_workbook(stream)
    except UnsafeWorkbook as why:
        raise FieldImportFailed([Rejection(name, None, None, _(
            "this workbook is not safe to open: %(why)s") % {"why": why})]) from None
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # a corrupt or foreign file can fail in many ways
        raise FieldImportFailed([Rejection(name, None, None, _(
            "this is not a readable Excel workbook (.xlsx)"))]) from None
    try:
        values = sheet_rows(wb.worksheets[0], MAX_COLUMNS) if wb.worksheets else iter(())
        _number, header = next(values, (1, None))
        rows = [(number, list(row)) for number, row in values
                if any(cell_text(v) for v in row)]
    except UnreadableSheet as bad:
        raise FieldImportFailed([Rejection(name, None, None, _(
            "this is not a readable Excel workbook (.xlsx): sheet %(sheet)s is broken near "
            "row %(row)d; export the submissions again") % {
            "sheet": bad.sheet, "row": bad.row})]) from None
    finally:
        wb.close()
    return _table(name, header, rows)


def _table(name: str, header, rows) -> Table:
    if not header or not any(cell_text(h) for h in header):
        raise FieldImportFailed([Rejection(name, 1, None, _(
            "the file is empty: it has no header row"))])
    return Table([cell_text(h) for h in header], rows)


# --- the header ---------------------------------------------------------------------------

def map_columns(table: Table, inst: Instrument, name: str) -> Columns:
    """Find the fields of a field form in the header; raise if a needed one is missing."""
    header = table.header
    by_leaf: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        if h:
            by_leaf.setdefault(leaf(h), []).append(i)
    problems: list[Rejection] = []

    def one(field_: str) -> int | None:
        found = by_leaf.get(field_, [])
        if len(found) > 1:
            problems.append(Rejection(name, 1, header[found[1]], _(
                "two columns hold %(field)s: %(a)s and %(b)s") % {
                "field": field_, "a": header[found[0]], "b": header[found[1]]}))
        return found[0] if found else None

    instance = [i for f in INSTANCE_FIELDS if (i := one(f)) is not None]
    if not instance:
        problems.append(Rejection(name, 1, None, _(
            "no submission id column (meta/instanceID, meta-instanceID, KEY or _uuid): "
            "export the submissions with their metadata")))
    consultation, group = one(CONSULTATION_FIELD), one(GROUP_FIELD)
    for found, field_ in ((consultation, CONSULTATION_FIELD), (group, GROUP_FIELD)):
        if found is None:
            problems.append(Rejection(name, 1, None, _(
                "no %(field)s column: import the submissions of a form made by acsreview "
                "for this consultation (consultation form)") % {"field": field_}))
    questions: dict[int, str] = {}
    for q in iter_questions(inst):
        at = one(field_name(q.id))
        if at is not None:
            questions[at] = q.id
    if not questions:
        problems.append(Rejection(name, 1, None, _(
            "no column holds a question of the instrument: export with the questions' "
            "names (XML values and headers), not their labels")))
    if problems:
        raise FieldImportFailed(problems)
    date = next((i for f in DATE_FIELDS if (i := one(f)) is not None), None)
    instrument = {f: i for f in INSTRUMENT_FIELDS if (i := one(f)) is not None}
    return Columns(header, instance, consultation, group, questions, one(LANGUAGE_FIELD),
                   date, instrument)


# --- cells --------------------------------------------------------------------------------

def instance_id(value) -> str:
    """ODK's ``uuid:...``; Kobo's bare ``_uuid`` gets the prefix so both name one submission."""
    text = cell_text(value)
    if UUID.match(text):
        return f"uuid:{text}"
    return text


def submitted_at(value) -> datetime:
    """The export's submission time if it is one (naive times are UTC), else now."""
    now = timezone.now()
    when = None
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        when = datetime(value.year, value.month, value.day)
    elif value is not None:
        try:
            when = datetime.fromisoformat(cell_text(value).replace(" ", "T", 1))
        except ValueError:
            return now
    if when is None:
        return now
    if timezone.is_naive(when):
        when = when.replace(tzinfo=UTC)
    if when.year < 2000 or when > now + timedelta(days=1):
        return now
    return when


def answer_labels(library, inst: Instrument) -> dict[str, str]:
    """Every way an answer may be written: its id, its label in English and translations."""
    labels: dict[str, str] = {}
    forms = [inst] + [library.localized(inst, lang) for lang in library.languages(inst)]
    for form in forms:
        for option in form.answer_options:
            labels[_fold(option.label)] = option.id.value
    for option in inst.answer_options:
        labels[_fold(option.id.value)] = option.id.value
    return labels


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").casefold().split())


def answer_of(labels: dict[str, str], value) -> str | None:
    return labels.get(_fold(cell_text(value)))


def question_kinds(inst: Instrument) -> dict[str, AnswerType]:
    return {q.id: q.answer_type for q in iter_questions(inst)}
