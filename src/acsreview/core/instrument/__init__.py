"""The diagnostic instrument as versioned data: schema, loader, checks, strings, exports."""

from .checks import iter_questions
from .library import SHIPPED_DIR, Library, shipped_library, validate_file
from .problems import InstrumentInvalid, Problem
from .schema import Answer, AnswerType, Instrument, Polarity, Question, Sector

__all__ = [
    "SHIPPED_DIR",
    "Answer",
    "AnswerType",
    "Instrument",
    "InstrumentInvalid",
    "Library",
    "Polarity",
    "Problem",
    "Question",
    "Sector",
    "iter_questions",
    "shipped_library",
    "validate_file",
]
