"""The trend: how many items were implemented, partially implemented or in progress at the end of
each month, from the validated update history.

The status of an item at a date is its latest validated update reported on or before that date
(by date of the action, then entry order), the rule `tracker.updates.services.latest_validated`
applies to the current status. So an item's status at a month's end changes only in the months
it has validated updates in. Each item's changes are kept as steps (month, +1 into a tracked
status or -1 out of one), read once a day from the whole update history and in between brought
up to date from the audit trail: only the items its new events name are read again. A filter's
trend is then a count of its items' steps, not a window over every update.

The page keeps the series until the data changes (tracker/dashboard/cache.py)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain, groupby, repeat
from operator import itemgetter

from flask import current_app
from sqlalchemy import Integer, cast, extract, or_, select

from tracker.extensions import db
from tracker.models import AuditEvent, Recommendation, ReviewState, Status, StatusUpdate
from tracker.register.queries import RegisterFilter, register_query

TRACKED = (Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED, Status.IN_PROGRESS)
_TRACKED_INDEX = {s.name: i for i, s in enumerate(TRACKED)}
# A step is one int: month * 8 + i enters TRACKED[i], month * 8 + LEAVE + i leaves it, where
# month counts from year 0 (year * 12 + month - 1).
LEAVE = 4
# Events are stamped when flushed and seen when committed: those of the last minutes are read
# again at each catch-up, so a transaction that commits after a newer one is not missed.
MARGIN = timedelta(minutes=10)
CHUNK = 500  # items read again per query
STORE = "dashboard_steps"
_lock = threading.Lock()  # one reader of the history at a time; the others wait for it
_codes: dict[int, int] = {}  # one int object per distinct step: 100,000 items share a few hundred


@dataclass(frozen=True)
class Trend:
    months: list[str]  # "2024-03", oldest first; the last is the current month, to date
    series: dict[Status, list[int]]

    @property
    def points(self) -> list[tuple[str, dict[Status, int]]]:
        """Rows for the table: month and its counts, newest first."""
        rows = [(m, {s: self.series[s][i] for s in TRACKED}) for i, m in enumerate(self.months)]
        return rows[::-1]


@dataclass
class Steps:
    """Every item's steps as of audit event `seen` (id, at); read in full on `day`, and again the
    next day, as the page cache is, so changes made outside the application are seen by then."""

    day: date
    seen: tuple
    by_item: dict[int, tuple[int, ...]]
    total: Counter = field(default_factory=Counter)  # the steps of every item, counted

    def __post_init__(self):
        self.total.update(chain.from_iterable(self.by_item.values()))

    def put(self, item: int, steps: tuple[int, ...]) -> None:
        self.total.subtract(self.by_item.pop(item, ()))
        if steps:
            self.total.update(steps)
            self.by_item[item] = steps

    def count(self, ids: list[int]) -> Counter:
        """The selected items' steps, counted: over them, or over all but them when they are
        most items (the unfiltered page: all but the archived)."""
        if 2 * len(ids) < len(self.by_item):
            return Counter(chain.from_iterable(map(self.by_item.get, ids, repeat(()))))
        chosen = set(ids)
        others = chain.from_iterable(v for k, v in self.by_item.items() if k not in chosen)
        counts = self.total.copy()
        counts.subtract(Counter(others))
        return counts


def item_steps(updates: Iterable[tuple[int, str]]) -> tuple[int, ...]:
    """One item's steps from its validated updates' (month, status name), in status-rule order."""
    ends: dict[int, int | None] = {}
    for month, status in updates:
        ends[month] = _TRACKED_INDEX.get(status)  # the month's last update holds at its end
    steps, before = [], None
    for month, now in ends.items():
        if now != before:
            if before is not None:
                steps.append(_step(month * 8 + LEAVE + before))
            if now is not None:
                steps.append(_step(month * 8 + now))
            before = now
    return tuple(steps)


def _step(code: int) -> int:
    return _codes.setdefault(code, code)


def _driver_rows(query) -> list[tuple]:
    """The rows as the database driver gives them, without SQLAlchemy's result objects and
    type conversion: they cost several times the query at 100,000 rows and more."""
    result = db.session.connection().execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _read(ids: list[int] | None = None) -> dict[int, tuple[int, ...]]:
    """Steps of the given items (of every item with a validated update when None)."""
    u = StatusUpdate
    month = cast(extract("year", u.reported_on) * 12 + extract("month", u.reported_on) - 1, Integer)
    query = (
        select(u.recommendation_id, month, u.status)
        .where(u.review_state == ReviewState.VALIDATED)
        .order_by(u.recommendation_id, u.reported_on, u.id)
    )
    if ids is not None:
        query = query.where(u.recommendation_id.in_(ids))
    rows = _driver_rows(query)  # the status as stored: its name
    return {
        item: item_steps((m, s) for _, m, s in group)
        for item, group in groupby(rows, key=itemgetter(0))
    }


def _newest_event() -> tuple:
    row = db.session.execute(
        select(AuditEvent.id, AuditEvent.at).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return tuple(row) if row else (0, None)


def _catch_up(steps: Steps) -> bool:
    """Read again the items named by the audit events since `steps.seen`; False when that event
    is gone or changed (the history was replaced: read it all again)."""
    seen_id, seen_at = steps.seen
    if seen_id:
        at = db.session.scalar(select(AuditEvent.at).where(AuditEvent.id == seen_id))
        if at != seen_at:
            return False
    newest = _newest_event()
    recent = AuditEvent.id > seen_id
    if seen_at is not None:
        recent = or_(recent, AuditEvent.at >= seen_at - MARGIN)
    named = db.session.scalars(
        select(AuditEvent.recommendation_id)
        .where(recent, AuditEvent.recommendation_id.is_not(None))
        .distinct()
    ).all()
    for i in range(0, len(named), CHUNK):
        chunk = named[i : i + CHUNK]
        found = _read(chunk)
        for item in chunk:
            steps.put(item, found.get(item, ()))
    steps.seen = newest
    return True


def _steps(today: date) -> Steps:
    """The steps, up to date with the audit trail. Call with _lock held."""
    steps: Steps | None = current_app.extensions.get(STORE)
    if steps is None or steps.day != today or not _catch_up(steps):
        seen = _newest_event()  # before the read: what happens during it is caught up next
        steps = current_app.extensions[STORE] = Steps(day=today, seen=seen, by_item=_read())
    return steps


def _month_name(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _ids(f: RegisterFilter, today: date) -> list[int]:
    query = register_query(f, today).with_only_columns(Recommendation.id).order_by(None)
    return [row[0] for row in _driver_rows(query)]


def compute_trend(f: RegisterFilter, today: date) -> Trend:
    ids = _ids(f, today)
    with _lock:
        counts = _steps(today).count(ids)
    moves: dict[int, list[int]] = {}
    for code, n in counts.items():
        if not n:
            continue  # left by a subtraction: no step of the chosen items
        month, kind = divmod(code, 8)
        move = moves.setdefault(month, [0] * len(TRACKED))
        if kind < LEAVE:
            move[kind] += n
        else:
            move[kind - LEAVE] -= n
    current = today.year * 12 + today.month - 1
    series: dict[Status, list[int]] = {s: [] for s in TRACKED}
    if not moves or min(moves) > current:
        return Trend(months=[], series=series)
    months, running = [], [0] * len(TRACKED)
    for month in range(min(moves), current + 1):
        for i, n in enumerate(moves.get(month, ())):
            running[i] += n
        months.append(_month_name(month))
        for i, status in enumerate(TRACKED):
            series[status].append(running[i])
    return Trend(months=months, series=series)
