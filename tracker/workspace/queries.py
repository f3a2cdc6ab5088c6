"""My assignments, ordered as a focal point works through them: overdue first, then due soon,
then needing an update, then the rest. Ranked in SQL so that a body with thousands of
assignments pages as fast as one with ten."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import contains_eager, selectinload

from tracker.extensions import db
from tracker.models import Assignment, Recommendation, ReviewState, Status, StatusUpdate

DUE_SOON_DAYS = 30
STALE_DAYS = 90
CLOSED = (Status.IMPLEMENTED, Status.NO_LONGER_RELEVANT)
SECTIONS = ("overdue", "due_soon", "needs_update", "other")  # index = rank


def _rank(today: date):
    # Needing an update: nothing reported in the last STALE_DAYS (none at all, or the latest is
    # older). One NOT EXISTS, not max() compared twice, so the updates are probed once.
    recent_update = exists().where(
        StatusUpdate.recommendation_id == Recommendation.id,
        StatusUpdate.reported_on >= today - timedelta(days=STALE_DAYS),
    )
    is_open = Recommendation.status.not_in(CLOSED)
    return case(
        (is_open & (Assignment.deadline < today), 0),
        (is_open & (Assignment.deadline <= today + timedelta(days=DUE_SOON_DAYS)), 1),
        (is_open & ~recent_update, 2),
        else_=3,
    )


def _mine(query: Select, body_id: int) -> Select:
    return query.join(Assignment.recommendation).where(
        Assignment.body_id == body_id, Recommendation.archived.is_(False)
    )


def workspace_query(body_id: int, today: date) -> Select:
    rank = _rank(today)
    return (
        _mine(select(Assignment), body_id)
        .options(
            contains_eager(Assignment.recommendation).selectinload(Recommendation.source),
            selectinload(Assignment.focal_points),
        )
        .order_by(
            rank,
            Recommendation.status.in_(CLOSED),
            Assignment.deadline.asc().nulls_last(),
            Recommendation.code,
        )
    )


def section_counts(body_id: int, today: date) -> dict[str, int]:
    rank = _rank(today).label("rank")
    rows = db.session.execute(
        _mine(select(rank, func.count()).select_from(Assignment), body_id).group_by(rank)
    )
    counts = dict(rows.all())
    return {name: counts.get(i, 0) for i, name in enumerate(SECTIONS)}


def awaiting_validation(assignments: list[Assignment]) -> set[int]:
    """Ids of the listed assignments with an update waiting for the secretariat."""
    ids = [a.id for a in assignments]
    if not ids:
        return set()
    # Looked up by recommendation and review state (the index every update page uses): many
    # updates have no assignment (loaded from a document or imported), and SQLite then rightly
    # refuses the assignment index and reads every update (100 ms over 1,000,000, against 1 ms).
    return set(
        db.session.scalars(
            select(StatusUpdate.assignment_id).where(
                StatusUpdate.recommendation_id.in_({a.recommendation_id for a in assignments}),
                StatusUpdate.review_state == ReviewState.SUBMITTED,
                StatusUpdate.assignment_id.in_(ids),
            )
        )
    )


def sections_of(assignments: list[Assignment], today: date) -> dict[int, str]:
    """The section of each listed assignment, by the same SQL ranking that ordered them."""
    ids = [a.id for a in assignments]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Assignment.id, _rank(today))
        .join(Assignment.recommendation)
        .where(Assignment.id.in_(ids))
    )
    return {assignment_id: SECTIONS[rank] for assignment_id, rank in rows}
