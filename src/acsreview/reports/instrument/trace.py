"""The table in docs/instrument.md that traces every seed item to its id.

Regenerate it after changing the instrument:
    python -m acsreview.reports.instrument.trace docs/instrument.md
A test fails while the table in the docs differs from the instrument.
"""

from __future__ import annotations

import sys
from pathlib import Path

from acsreview.core.instrument import AnswerType, Instrument, shipped_library
from acsreview.core.instrument.select import effective_groups

BEGIN = "<!-- trace:begin (generated: python -m acsreview.reports.instrument.trace) -->"
END = "<!-- trace:end -->"


def trace_table(inst: Instrument) -> str:
    lines = [
        "| Id | Seed slide | Question (the seed's wording) | Answer | Polarity | Asked of |"
        " Areas for action |",
        "|---|---|---|---|---|---|---|",
    ]
    for level in inst.levels:
        for domain in level.domains:
            for q in domain.questions:
                answer = "scale" if q.answer_type == AnswerType.CHOICE else "open text"
                cells = [
                    f"`{q.id}`", domain.seed_heading or domain.label, q.text, answer,
                    q.polarity or "", ", ".join(effective_groups(q, domain)), ", ".join(q.areas),
                ]
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def replace_block(doc: str, table: str) -> str:
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


def main(path: str) -> None:
    target = Path(path)
    inst = shipped_library().get("acs-diagnostic")
    target.write_text(replace_block(target.read_text(encoding="utf-8"), trace_table(inst)),
                      encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
