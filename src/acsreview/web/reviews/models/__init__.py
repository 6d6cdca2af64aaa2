"""The review workspace: jurisdictions, reviews, the ACS inventory, the diagnostic, the audit."""

from .actions import ActionItem, Decision, Progress
from .audit import AuditEvent
from .diagnostic import Answer, Confidence, CorrespondentAnswer
from .enums import Role, Status
from .inventory import ContextIndicator, Indicator, Measure, MeasureStat
from .jurisdiction import Jurisdiction, Membership
from .review import Review, StatusChange

__all__ = [
    "ActionItem",
    "Answer",
    "AuditEvent",
    "Confidence",
    "ContextIndicator",
    "CorrespondentAnswer",
    "Decision",
    "Indicator",
    "Jurisdiction",
    "Measure",
    "MeasureStat",
    "Membership",
    "Progress",
    "Review",
    "Role",
    "Status",
    "StatusChange",
]
