"""What the reminder rules look at, read in a few set-based queries (no query per item), so
that a sweep over 100,000 assignments takes a second or two: open assignments with their
deadlines, focal points, the last update of each recommendation, updates waiting for a review
or a resubmission; and, for the digests, the texts of the items that fired."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, any_, bindparam, func, null, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from tracker.extensions import db
from tracker.models import (
    Assignment,
    Body,
    Recommendation,
    ReviewState,
    Role,
    Status,
    StatusUpdate,
    User,
    assignment_focal_point,
)
from tracker.reminders.digest import Details
from tracker.reminders.rules import Event, Recipient, Rules

CLOSED = (Status.IMPLEMENTED, Status.NO_LONGER_RELEVANT)
# Closed and archived recommendations get no reminders.
IS_OPEN = and_(Recommendation.archived.is_(False), Recommendation.status.not_in(CLOSED))
CHUNK = 500  # ids or keys per IN (...) list: well under every backend's limit


def run(statement, parameters=None):
    """Execute on the session's connection, in its transaction, with plain Core results: the
    ORM's result handling costs more than the query itself over a hundred thousand rows."""
    return db.session.connection().execute(statement, parameters)


def among(column, values: Sequence) -> Iterator:
    """Conditions `column IN values` that together cover all the values: one array parameter
    on PostgreSQL (its driver parses a long IN (...) list slowly), lists of CHUNK values on
    SQLite (which limits the number of parameters)."""
    if not values:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        yield column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
        return
    for start in range(0, len(values), CHUNK):
        yield column.in_(values[start : start + CHUNK])


@dataclass
class Snapshot:
    """What the rules look at, loaded by the sweep in a few set-based queries. Only open,
    current items are in it (closed and archived recommendations get no reminders), and only
    active users (inactive ones get nothing)."""

    # Rows with id, recommendation_id, body_id, deadline, recurrence, code.
    assignments: list = field(default_factory=list)
    # The focal points (user ids) of the assignments given by id.
    focal_points_of: Callable[[Sequence[int]], dict[int, list[int]]] = lambda ids: {}
    users: dict[int, Recipient] = field(default_factory=dict)
    inactive_emails: set[str] = field(default_factory=set)
    heads: dict[int, str] = field(default_factory=dict)  # body -> head's address
    secretariat: list[Recipient] = field(default_factory=list)
    last_update: dict[int, date] = field(default_factory=dict)  # recommendation -> date
    # Rows with id, recommendation_id, code, on (the local day it was submitted).
    waiting: list = field(default_factory=list)
    # Rows with id, recommendation_id, code, on (the local day it was returned), author_id.
    returned: list = field(default_factory=list)


def _utc_range(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants from the local start of `first` to the local end of `last`."""
    start = datetime.combine(first, time(), tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC)
    return start, end


def load_snapshot(as_of: date, covered: list[date], rules: Rules) -> Snapshot:
    """Everything the rules look at, in a few set-based queries (no query per item)."""
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    snap = Snapshot()
    if db.session.get_bind().dialect.name == "postgresql":
        # These scans look costly to the planner, which then compiles them (JIT) for longer
        # than they take to run. For this transaction only.
        run(text("SET LOCAL jit = off"))
    query = (
        select(
            Assignment.id,
            Assignment.recommendation_id,
            Assignment.body_id,
            Assignment.deadline,
            Assignment.recurrence,
            Recommendation.code,
        )
        .join(Recommendation, Recommendation.id == Assignment.recommendation_id)
        .where(IS_OPEN)
    )
    if rules.stale_after_days:
        # The latest update of each open item, read through the (recommendation_id, ...) index
        # item by item: cheaper than aggregating the whole update history, most of which
        # belongs to closed items (PostgreSQL: 1.36 s -> 0.79 s over 1,000,000 updates).
        last_on = (
            select(func.max(StatusUpdate.reported_on))
            .where(StatusUpdate.recommendation_id == Recommendation.id)
            .correlate(Recommendation)
            .scalar_subquery()
        )
        query = query.add_columns(last_on)
    else:
        query = query.add_columns(null())
    rows = run(query).all()
    snap.assignments = rows
    if rules.stale_after_days:
        snap.last_update = {row[1]: row[6] for row in rows if row[6] is not None}
        # An item never updated counts from the day it was registered.
        never = sorted({row[1] for row in rows if row[6] is None})
        for condition in among(Recommendation.id, never):
            for rec_id, created in run(
                select(Recommendation.id, Recommendation.created_at).where(condition)
            ).all():
                snap.last_update[rec_id] = created.astimezone(tz).date()
    _load_people(snap)
    snap.waiting, snap.returned = _reviews(covered, rules, tz)
    return snap


def _load_people(snap: Snapshot) -> None:
    users = run(
        select(
            User.id,
            User.email,
            User.language,
            User.name,
            User.active,
            User.reminders_paused,
            User.role,
        )
    ).all()
    for user in users:
        email = user.email.strip().lower()
        if not user.active:
            snap.inactive_emails.add(email)
            continue
        recipient = Recipient(email, user.id, user.language, user.name, user.reminders_paused)
        snap.users[user.id] = recipient
        if user.role is Role.SECRETARIAT:
            snap.secretariat.append(recipient)
    snap.focal_points_of = focal_points_of
    heads = run(select(Body.id, Body.head_email).where(Body.head_email.is_not(None))).all()
    snap.heads = {body_id: email.strip().lower() for body_id, email in heads if email.strip()}


def focal_points_of(assignment_ids: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    table = assignment_focal_point.c
    for condition in among(table.assignment_id, assignment_ids):
        for assignment_id, user_id in run(
            select(table.assignment_id, table.user_id).where(condition)
        ).all():
            found.setdefault(assignment_id, []).append(user_id)
    return found


@dataclass(frozen=True)
class _UpdateRow:
    id: int
    recommendation_id: int
    code: str
    on: date  # the local day it was submitted, or returned
    author_id: int | None


def _reviews(covered: list[date], rules: Rules, tz: ZoneInfo) -> tuple[list, list]:
    """Updates of open items submitted, or returned, on the days the rules look back to: one
    scan for both. A returned update counts only until it is resubmitted."""
    windows = {}
    if rules.waiting_review_days:
        wait = timedelta(days=rules.waiting_review_days)
        windows[ReviewState.SUBMITTED] = (
            StatusUpdate.created_at,
            covered[0] - wait,
            covered[-1] - wait,
        )
    if rules.returned_resubmit_days:
        wait = timedelta(days=rules.returned_resubmit_days)
        windows[ReviewState.RETURNED] = (
            StatusUpdate.reviewed_at,
            covered[0] - wait,
            covered[-1] - wait,
        )
    if not windows:
        return [], []
    conditions = []
    for state, (moment, first, last) in windows.items():
        start, end = _utc_range(first, last, tz)
        conditions.append(and_(StatusUpdate.review_state == state, moment >= start, moment < end))
    rows = run(
        select(
            StatusUpdate.id,
            StatusUpdate.recommendation_id,
            Recommendation.code,
            StatusUpdate.review_state,
            StatusUpdate.created_at,
            StatusUpdate.reviewed_at,
            StatusUpdate.author_id,
        )
        .join(Recommendation, Recommendation.id == StatusUpdate.recommendation_id)
        .where(IS_OPEN, or_(*conditions))
    ).all()
    returned_ids = [row.id for row in rows if row.review_state is ReviewState.RETURNED]
    resubmitted = set()
    for condition in among(StatusUpdate.replaces_id, returned_ids):
        resubmitted.update(run(select(StatusUpdate.replaces_id).where(condition)).scalars())
    waiting, returned = [], []
    for row in rows:
        if row.review_state is ReviewState.SUBMITTED:
            waiting.append(
                _UpdateRow(
                    row.id,
                    row.recommendation_id,
                    row.code,
                    row.created_at.astimezone(tz).date(),
                    row.author_id,
                )
            )
        elif row.id not in resubmitted:
            returned.append(
                _UpdateRow(
                    row.id,
                    row.recommendation_id,
                    row.code,
                    row.reviewed_at.astimezone(tz).date(),
                    row.author_id,
                )
            )
    return waiting, returned


def load_details(events: Sequence[Event]) -> Details:
    """The texts, body names and deadlines as written that the digests' lines show."""
    details = Details()
    rec_ids = sorted({e.recommendation_id for e in events})
    for condition in among(Recommendation.id, rec_ids):
        for rec_id, english, lao in run(
            select(Recommendation.id, Recommendation.text, Recommendation.text_lo).where(condition)
        ):
            details.texts[rec_id] = (english, lao)
    for body_id, acronym, name, name_lo in run(
        select(Body.id, Body.acronym, Body.name, Body.name_lo)
    ):
        details.bodies[body_id] = (acronym or name, name_lo)
    undated = sorted({a for e in events if e.rule == "needs_date" for a in e.assignments})
    for condition in among(Assignment.id, undated):
        details.deadline_texts.update(
            run(select(Assignment.id, Assignment.deadline_text).where(condition)).all()
        )
    return details
