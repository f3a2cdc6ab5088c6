"""The data model, one module per aggregate. Importing this package registers every table."""

from tracker.models.body import Assignment, Body, assignment_focal_point
from tracker.models.enums import (
    AssignmentRole,
    BodyKind,
    DeadlinePrecision,
    IndicatorDirection,
    Position,
    ReviewState,
    Role,
    SourceKind,
    Status,
)
from tracker.models.indicator import Indicator, IndicatorValue
from tracker.models.recommendation import (
    AffectedGroup,
    Country,
    Recommendation,
    SdgGoal,
    SdgTarget,
)
from tracker.models.reminder import (
    Holiday,
    MessageState,
    OutboxMessage,
    ReminderEvent,
    Setting,
)
from tracker.models.report import GeneratedReport, ReportCover
from tracker.models.seed import SeedRecord
from tracker.models.source import Cluster, Source
from tracker.models.update import Evidence, StatusUpdate
from tracker.models.user import AuditEvent, LoginAttempt, User

__all__ = [
    "AffectedGroup",
    "Assignment",
    "AssignmentRole",
    "AuditEvent",
    "Body",
    "BodyKind",
    "Cluster",
    "Country",
    "DeadlinePrecision",
    "Evidence",
    "GeneratedReport",
    "Holiday",
    "Indicator",
    "IndicatorDirection",
    "IndicatorValue",
    "LoginAttempt",
    "MessageState",
    "OutboxMessage",
    "Position",
    "Recommendation",
    "ReminderEvent",
    "ReportCover",
    "ReviewState",
    "Role",
    "SdgGoal",
    "SdgTarget",
    "SeedRecord",
    "Setting",
    "Source",
    "SourceKind",
    "Status",
    "StatusUpdate",
    "User",
    "assignment_focal_point",
]
