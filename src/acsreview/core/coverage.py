"""Coverage of the criminal justice system by the inventory: CJS stage x measure type.

The seed observes that ACS were "mainly offered at the end (court and sentencing) stages"
with "considerable scope to expand availability through diversion from arrest,
prosecution or investigation": stages with no measure are flagged for that reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Coverage:
    stages: list[str]  # arrest to post-sentence, in the instrument's order
    types: list[str]  # the types that occur, in the instrument's order
    cells: dict[tuple[str, str], list[str]]  # (stage, type) -> measure names
    per_stage: dict[str, int]
    empty_stages: list[str]  # stages without any measure


def coverage(measures: Iterable[tuple[str, str, str]], stages: Sequence[str],
             types: Sequence[str]) -> Coverage:
    """Coverage of (name, stage, type) measures over the instrument's stages and types.

    Types the instrument does not know (a review's own) are kept, after the known ones.
    """
    cells: dict[tuple[str, str], list[str]] = {}
    seen_types: list[str] = []
    for name, stage, kind in measures:
        cells.setdefault((stage, kind), []).append(name)
        if kind not in seen_types:
            seen_types.append(kind)
    ordered_types = [t for t in types if t in seen_types] + [
        t for t in seen_types if t not in types]
    per_stage = {s: sum(len(v) for (st, _t), v in cells.items() if st == s) for s in stages}
    return Coverage(
        stages=list(stages), types=ordered_types,
        cells={k: sorted(v) for k, v in cells.items()},
        per_stage=per_stage,
        empty_stages=[s for s in stages if per_stage[s] == 0],
    )
