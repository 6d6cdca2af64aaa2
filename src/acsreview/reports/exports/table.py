"""A table of an export: named, typed fields and plain rows, writable in every format.

Field types are Frictionless Table Schema types (string, integer, number, boolean,
date, datetime), so that the same description serves the XLSX cells, the JSON
values and the data package's schemas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

TYPES = {"string", "integer", "number", "boolean", "date", "datetime"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    description: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")


@dataclass
class Table:
    name: str  # a file and sheet name: lower case, digits and underscores
    title: str
    description: str
    fields: Sequence[Field]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    primary_key: Sequence[str] = ()

    def add(self, *values: Any) -> None:
        if len(values) != len(self.fields):
            raise ValueError(f"{self.name}: {len(values)} values for {len(self.fields)} fields")
        self.rows.append(values)

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.add(*row)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.names, row, strict=True)) for row in self.rows]


#: Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would read as a formula, made inert with a leading quote.

    >>> neutralise("=HYPERLINK(1)"), neutralise("-1 day"), neutralise("plain"), neutralise(-1)
    ("'=HYPERLINK(1)", "'-1 day", 'plain', -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
