"""The audit trail as a reader sees it: what changed, named in the reader's language, with the
values as the pages show them (labels of statuses and positions, dates in the locale)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.models import AuditEvent
from tracker.models.enums import (
    AssignmentRole,
    DeadlinePrecision,
    Position,
    ReviewState,
    Status,
)

ENTITIES = {
    "Assignment": _l("Assignment"),
    "Body": _l("Responsible body"),
    "Cluster": _l("Cluster"),
    "Evidence": _l("Evidence"),
    "Indicator": _l("Indicator"),
    "IndicatorValue": _l("Indicator value"),
    "Recommendation": _l("Recommendation"),
    "Source": _l("Source"),
    "StatusUpdate": _l("Status update"),
    "User": _l("Account"),
}
FIELDS = {
    "archived": _l("Archived"),
    "assignment_id": _l("Assignment"),
    "author_id": _l("Author"),
    "author_label": _l("Author"),
    "body_id": _l("Responsible body"),
    "cluster_id": _l("Cluster"),
    "code": _l("Code"),
    "deadline": _l("Deadline"),
    "deadline_precision": _l("Deadline precision"),
    "deadline_text": _l("Deadline as written"),
    "due_date": _l("Earliest deadline"),
    "focal_points": _l("Focal points"),
    "groups": _l("Affected groups"),
    "indicator_text": _l("Indicator"),
    "location_line": _l("Line in the source"),
    "location_paragraph": _l("Paragraph in the source"),
    "location_row": _l("Row in the source"),
    "location_section": _l("Section in the source"),
    "means_of_verification": _l("Means of verification"),
    "missing_capacities": _l("Missing capacities"),
    "narrative": _l("What was done"),
    "nsedp_outcome": _l("NSEDP outcome"),
    "percent": _l("Percent done"),
    "position": _l("Position"),
    "published": _l("Published"),
    "recommendation_id": _l("Recommendation"),
    "recurrence": _l("Recurrence"),
    "replaces_id": _l("Replaces update"),
    "reported_on": _l("Date of the action"),
    "required_resources": _l("Required resources"),
    "responsible_party": _l("Responsible party (as written)"),
    "review_comment": _l("Review comment"),
    "review_state": _l("Review"),
    "reviewed_at": _l("Reviewed at"),
    "reviewer_id": _l("Reviewer"),
    "role": _l("Role"),
    "sdg_targets": _l("SDG targets"),
    "source_id": _l("Source"),
    "source_note": _l("Source note"),
    "states": _l("Recommending States"),
    "status": _l("Status"),
    "status_date": _l("Status date"),
    "status_percent": _l("Percent done"),
    "text": _l("Text (English)"),
    "text_lo": _l("Text (Lao)"),
    "time_frame": _l("Time frame"),
    "created_at": _l("Created"),
}
ENUMS = {
    "status": Status,
    "position": Position,
    "role": AssignmentRole,
    "deadline_precision": DeadlinePrecision,
    "review_state": ReviewState,
}
DATES = {"deadline", "due_date", "status_date", "reported_on"}
TIMES = {"reviewed_at", "created_at"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str  # the field's name for the reader; empty when the field has no label
    before: str | None
    after: str | None


def value_text(field: str, value) -> str | None:
    """A recorded value as the pages show it; None when there was none."""
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field in ENUMS:
        try:
            return str(ENUMS[field](value).label)
        except ValueError:
            return str(value)
    if isinstance(value, str) and field in DATES:
        return format_date(date.fromisoformat(value[:10]), "medium")
    if isinstance(value, str) and field in TIMES:
        return format_datetime(datetime.fromisoformat(value), "medium")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def entity_label(event: AuditEvent) -> str:
    return str(ENTITIES.get(event.entity, event.entity))


def changes(event: AuditEvent) -> list[Change]:
    return [
        Change(
            field=field,
            label=str(FIELDS.get(field, "")),
            before=value_text(field, change.get("before")),
            after=value_text(field, change.get("after")),
        )
        for field, change in (event.changes or {}).items()
    ]
