"""Problems found in an instrument file, each naming the file, the line, the path and the fault."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from .yamlio import Loc, LocatedData


def one_line(text: str) -> str:
    """``text`` with every character that is not printable escaped (``\\n``, ``\\x1b``).

    A problem quotes what the author wrote, which may hold line breaks, terminal escapes
    or a right-to-left override: printed as it is, it would spoil or forge the report.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


@dataclass(frozen=True)
class Problem:
    """One problem, one printable line: the path and message are escaped where they need."""

    file: str
    line: int | None
    path: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", one_line(self.path))
        object.__setattr__(self, "message", one_line(self.message))

    def __str__(self) -> str:
        file = one_line(self.file)  # kept as given in the field: the library matches on it
        where = file if self.line is None else f"{file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InstrumentInvalid(Exception):
    """Raised with every problem found, so a user can mend them all in one go."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_loc(loc: Loc, data: object) -> str:
    """``levels[system].domains[SYS-REG].questions[SYS-REG-03].polarity`` for a pydantic loc.

    A list item is named by its ``id`` where it has one, which is what an author
    searches for, and by its index otherwise.
    """
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out += f"[{ident}]" if isinstance(ident, str) and ident else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


class ProblemList:
    """Collects problems for one file, locating each by its path in the YAML."""

    def __init__(self, file: str, located: LocatedData | None = None):
        self.file = file
        self.located = located
        self.items: list[Problem] = []

    def add(self, loc: Loc, message: str, *, line_at: Loc | None = None) -> None:
        """A problem at ``loc``; its line is that of ``line_at`` where given (a bad key's own)."""
        data = self.located.data if self.located else None
        line = self.located.line_of(line_at or loc) if self.located else None
        self.items.append(Problem(self.file, line, format_loc(loc, data), message))

    def add_at_line(self, line: int | None, message: str) -> None:
        self.items.append(Problem(self.file, line, "", message))

    def add_validation_error(self, exc: ValidationError, prefix: Loc = ()) -> None:
        for err in exc.errors(include_url=False):
            loc = (*prefix, *err["loc"])
            kind = err["type"]
            if kind == "extra_forbidden":
                self.add(loc[:-1], f"unknown key '{loc[-1]}'", line_at=loc)
            elif kind == "missing":
                self.add(loc[:-1], f"missing required key '{loc[-1]}'")
            elif kind == "too_short" and loc[-1] == "areas":
                self.add(loc, "needs at least one area for action")
            elif kind == "too_short":
                self.add(loc, f"needs at least {err['ctx']['min_length']} item(s)")
            elif kind == "value_error":  # our own validators' words, without "Value error, "
                self.add(loc, str(err["ctx"]["error"]))
            else:
                msg = err["msg"]
                self.add(loc, msg[0].lower() + msg[1:])

    def raise_if_any(self) -> None:
        if self.items:
            raise InstrumentInvalid(self.items)
