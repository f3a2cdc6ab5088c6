"""The audit trail: every insert, update and delete of an audited model becomes an AuditEvent in
the same transaction, with the values before and after. Who acted is taken from the request's
user or from the label a CLI command sets with `acting_as`."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_app_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from tracker.models import (
    Assignment,
    AuditEvent,
    Body,
    Cluster,
    Evidence,
    Indicator,
    IndicatorValue,
    Recommendation,
    Source,
    StatusUpdate,
    User,
)
from tracker.models.base import utcnow

AUDITED = (
    Assignment,
    Body,
    Cluster,
    Evidence,
    Indicator,
    IndicatorValue,
    Recommendation,
    Source,
    StatusUpdate,
    User,
)
SECRET_FIELDS = {"password_hash"}
SKIPPED_FIELDS = {"updated_at", "version"}


@contextlib.contextmanager
def acting_as(label: str, user_id: int | None = None) -> Iterator[None]:
    """Attribute the changes made inside the block (CLI commands, scheduled jobs)."""
    previous = getattr(g, "audit_actor", None)
    g.audit_actor = (user_id, label)
    try:
        yield
    finally:
        g.audit_actor = previous


def _actor() -> tuple[int | None, str | None]:
    if not has_app_context():
        return None, None
    if actor := getattr(g, "audit_actor", None):
        return actor
    from flask_login import current_user

    if getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.email
    return None, None


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__table__"):
        return getattr(value, "code", None) or getattr(value, "name", None) or value.id
    return value


def _changes(obj, action: str) -> dict:
    state = inspect(obj)
    changes: dict[str, dict] = {}
    for attr in state.mapper.attrs:
        is_column = hasattr(attr, "columns")
        is_collection = getattr(attr, "secondary", None) is not None
        # Plain relationships are audited through their foreign-key column.
        if attr.key in SKIPPED_FIELDS or not (is_column or is_collection):
            continue
        attr_state = state.attrs[attr.key]
        hist = attr_state.history
        if action == "insert":
            before, after = None, attr_state.value
            if after is None or after == []:
                continue
        elif action == "delete":
            before, after = attr_state.value, None
        elif not hist.has_changes():
            continue
        elif is_collection:
            before, after = list(hist.deleted) or None, list(hist.added) or None
        else:
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
        if attr.key in SECRET_FIELDS:
            before, after = ("***" if before else None), ("***" if after else None)
        changes[attr.key] = {"before": _plain(before), "after": _plain(after)}
    return changes


def _recommendation_id(obj) -> int | None:
    if isinstance(obj, Recommendation):
        return obj.id
    if isinstance(obj, Assignment | StatusUpdate | Indicator):
        return obj.recommendation_id
    if isinstance(obj, Evidence) and obj.update is not None:
        return obj.update.recommendation_id
    if isinstance(obj, IndicatorValue) and obj.indicator is not None:
        return obj.indicator.recommendation_id
    return None


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context) -> None:
    rows = []
    actor_id, actor_label = _actor()
    now = utcnow()
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, AUDITED):
                continue
            if action == "update" and not session.is_modified(obj):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "at": now,
                    "actor_id": actor_id,
                    "actor_label": actor_label,
                    "action": action,
                    "entity": type(obj).__name__,
                    "entity_id": inspect(obj).identity[0] if inspect(obj).identity else obj.id,
                    "recommendation_id": _recommendation_id(obj),
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def _keep_previous_values() -> None:
    """Load an attribute's previous value when it is set, even after a commit expired it, so
    the audit row can say what it was before."""

    def noop(target, value, oldvalue, initiator):
        return value

    for cls in AUDITED:
        for column_attr in inspect(cls).column_attrs:
            event.listen(
                getattr(cls, column_attr.key), "set", noop, active_history=True, retval=True
            )


_keep_previous_values()
