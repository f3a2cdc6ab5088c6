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
    "Indicator",
    "IndicatorDirection",
    "IndicatorValue",
    "LoginAttempt",
    "Position",
    "Recommendation",
    "ReviewState",
    "Role",
    "SdgGoal",
    "SdgTarget",
    "SeedRecord",
    "Source",
    "SourceKind",
    "Status",
    "StatusUpdate",
    "User",
    "assignment_focal_point",
]
