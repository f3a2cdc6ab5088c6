"""Status updates are appended, never overwritten; a recommendation's status is its latest
validated update (by date of the action, then by entry order), cached on the recommendation in
the same transaction."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Recommendation, ReviewState, Status, StatusUpdate, User
from tracker.models.base import utcnow
from tracker.register.services import set_if_changed


def latest_validated(rec: Recommendation, as_of: date | None = None) -> StatusUpdate | None:
    query = select(StatusUpdate).where(
        StatusUpdate.recommendation_id == rec.id,
        StatusUpdate.review_state == ReviewState.VALIDATED,
    )
    if as_of is not None:
        query = query.where(StatusUpdate.reported_on <= as_of)
    query = query.order_by(StatusUpdate.reported_on.desc(), StatusUpdate.id.desc()).limit(1)
    return db.session.scalars(query).first()


def refresh_status(rec: Recommendation) -> None:
    db.session.flush()
    latest = latest_validated(rec)
    set_if_changed(
        rec,
        status=latest.status if latest else Status.NOT_STARTED,
        status_percent=latest.percent if latest else None,
        status_date=latest.reported_on if latest else None,
    )


def add_update(
    rec: Recommendation,
    *,
    status: Status,
    reported_on: date,
    narrative: str = "",
    percent: int | None = None,
    author: User | None = None,
    author_label: str | None = None,
    assignment=None,
    source_note: str | None = None,
    validated_by: User | None = None,
    validated_at: datetime | None = None,
) -> StatusUpdate:
    """Append an update. Updates entered by the secretariat itself, or loaded from a source
    document, may be recorded as already validated."""
    update = StatusUpdate(
        recommendation=rec,
        assignment=assignment,
        status=status,
        reported_on=reported_on,
        narrative=narrative,
        percent=percent,
        author=author,
        author_label=author_label or (author.email if author else None),
        source_note=source_note,
    )
    db.session.add(update)
    if validated_by is not None or validated_at is not None:
        update.review_state = ReviewState.VALIDATED
        update.reviewer = validated_by
        update.reviewed_at = validated_at or utcnow()
        refresh_status(rec)
    else:
        db.session.flush()
    return update
