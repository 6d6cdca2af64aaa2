"""Tables written as XLSX, CSV, JSON or a Frictionless Data Package.

- XLSX: a sheet per table, typed cells (numbers as numbers, dates as dates, not known
  as an empty cell), text never stored as a formula.
- CSV: UTF-8 with a byte-order mark (so that spreadsheets read accents), one file per
  table (a zip when there are several); text cells beginning with = + - @ tab or
  carriage return get a leading apostrophe against formula injection.
- JSON: one document, each table as a list of records, with its field descriptions.
- Data package: a zip with ``datapackage.json`` (each resource with its Table Schema)
  and one CSV per table, which ``frictionless validate`` accepts. Its values are the
  data as they are (it is for programs; the CSV format is the one for spreadsheets).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .table import Table, neutralise

FORMATS = ("xlsx", "csv", "json", "datapackage")


def _plain(value: Any) -> Any:
    """A value JSON and CSV can hold: dates as ISO 8601, decimals as numbers."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _csv_text(table: Table, *, bom: bool, neutral: bool = True) -> str:
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.names)
    strings = [f.type == "string" for f in table.fields]
    for row in table.rows:
        writer.writerow([
            "" if v is None else
            (neutralise(v) if neutral else v) if is_text else
            ("true" if v else "false") if isinstance(v, bool) else _plain(v)
            for v, is_text in zip(row, strings, strict=True)])
    return out.getvalue()


def write_csv(tables: Sequence[Table], path: Path) -> None:
    """One table as a CSV file; several as a zip of CSV files."""
    if len(tables) == 1:
        path.write_bytes(_csv_text(tables[0], bom=True).encode("utf-8"))
        return
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for t in tables:
            zf.writestr(f"{t.name}.csv", _csv_text(t, bom=True).encode("utf-8"))


def write_xlsx(tables: Sequence[Table], path: Path, *, title: str = "") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    if title:
        wb.properties.title = title
    for t in tables:
        ws = wb.create_sheet(t.name[:31])
        ws.append(t.names)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for row in t.rows:
            ws.append([_xlsx_value(v) for v in row])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # people's text, never a formula
                    cell.data_type = "s"
        for i, f in enumerate(t.fields, start=1):
            width = max([len(f.name)] + [len(str(r[i - 1])) for r in t.rows[:200]
                                         if r[i - 1] is not None])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, width + 2)
    wb.save(path)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        # control characters (pasted from PDFs) that the XLSX format cannot hold
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _document(tables: Sequence[Table], meta: dict) -> dict:
    return {**meta, "tables": {
        t.name: {"title": t.title, "description": t.description,
                 "fields": [{"name": f.name, "type": f.type, "description": f.description}
                            for f in t.fields],
                 "rows": [{k: _plain(v) for k, v in r.items()} for r in t.records()]}
        for t in tables}}


def write_json(tables: Sequence[Table], path: Path, *, meta: dict | None = None) -> None:
    path.write_text(json.dumps(_document(tables, meta or {}), ensure_ascii=False, indent=1),
                    encoding="utf-8")


def package_descriptor(tables: Sequence[Table], meta: dict) -> dict:
    """The ``datapackage.json`` of ``tables`` (Frictionless Data Package v1)."""
    resources = []
    for t in tables:
        schema: dict[str, Any] = {"fields": [
            {"name": f.name, "type": f.type, "description": f.description}
            for f in t.fields], "missingValues": [""]}
        if t.primary_key:
            schema["primaryKey"] = list(t.primary_key)
        resources.append({
            "name": t.name, "path": f"data/{t.name}.csv", "profile": "tabular-data-resource",
            "title": t.title, "description": t.description, "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    return {"profile": "tabular-data-package", **meta, "resources": resources}


def write_datapackage(tables: Sequence[Table], path: Path, *, meta: dict) -> None:
    """A zip: datapackage.json and data/<table>.csv (UTF-8, no BOM: the schema says so)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json",
                    json.dumps(package_descriptor(tables, meta), ensure_ascii=False,
                               indent=1))
        for t in tables:
            zf.writestr(f"data/{t.name}.csv",
                        _csv_text(t, bom=False, neutral=False).encode("utf-8"))


def write(fmt: str, tables: Sequence[Table], path: Path, *, meta: dict) -> None:
    """Write ``tables`` to ``path`` in ``fmt`` (one of :data:`FORMATS`)."""
    writers: dict[str, Callable[[], None]] = {
        "xlsx": lambda: write_xlsx(tables, path, title=meta.get("title", "")),
        "csv": lambda: write_csv(tables, path),
        "json": lambda: write_json(tables, path, meta=meta),
        "datapackage": lambda: write_datapackage(tables, path, meta=meta),
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    writers[fmt]()
