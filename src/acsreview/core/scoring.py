"""Severity of an answer: how much it says the factor stands in the way of ACS use.

0 none, 1 some, 2 a barrier. "Don't know" and "not applicable" are not scored:
the first is an evidence gap, the second outside the question's scope.
See docs/methodology.md.
"""

from __future__ import annotations

from acsreview.core.instrument.schema import Polarity

_FACILITATOR = {"yes": 0, "partly": 1, "no": 2}


def severity(answer: str | None, polarity: Polarity | str | None) -> int | None:
    """The severity of ``answer`` to a question of ``polarity``; None when not scored."""
    if polarity is None or answer not in _FACILITATOR:
        return None
    score = _FACILITATOR[answer]
    return score if Polarity(polarity) == Polarity.FACILITATOR else 2 - score


def effective_severity(answer: str | None, polarity, override: int | None) -> int | None:
    """The lead's override where one is given (with its justification), else the computed one."""
    return override if override is not None else severity(answer, polarity)
