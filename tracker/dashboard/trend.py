"""The trend: how many items were implemented, partially implemented or in progress at the end of
each month, from the validated update history.

The status of an item at a date is its latest validated update reported on or before that date
(by date of the action, then entry order), the rule `tracker.updates.services.latest_validated`
applies to the current status. Each validated update holds from its own date until the next
one's; one windowed query turns that into +1/-1 steps per month, summed here.

The page keeps the series until the data changes (tracker/dashboard/cache.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Recommendation, ReviewState, Status, StatusUpdate
from tracker.register.queries import RegisterFilter, register_query

TRACKED = (Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED, Status.IN_PROGRESS)


@dataclass(frozen=True)
class Trend:
    months: list[str]  # "2024-03", oldest first; the last is the current month, to date
    series: dict[Status, list[int]]

    @property
    def points(self) -> list[tuple[str, dict[Status, int]]]:
        """Rows for the table: month and its counts, newest first."""
        rows = [(m, {s: self.series[s][i] for s in TRACKED}) for i, m in enumerate(self.months)]
        return rows[::-1]


def _month(column):
    if db.engine.dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    # date_trunc, not to_char: twice as fast over a million rows (no text formatting).
    return func.date_trunc("month", column)


def _month_text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return f"{value.year:04d}-{value.month:02d}"


def trend_query(f: RegisterFilter, today: date):
    """(status, first month, month superseded or None, count) for validated updates with a
    tracked status, over the items the filter selects."""
    u = StatusUpdate
    ids = register_query(f, today).with_only_columns(Recommendation.id).order_by(None)
    spans = (
        select(
            u.status,
            u.reported_on.label("start"),
            func.lead(u.reported_on)
            .over(partition_by=u.recommendation_id, order_by=(u.reported_on, u.id))
            .label("end"),
        )
        .where(u.review_state == ReviewState.VALIDATED, u.recommendation_id.in_(ids))
        .subquery()
    )
    start, end = _month(spans.c.start), _month(spans.c.end)
    return (
        select(spans.c.status, start, end, func.count())
        .where(spans.c.status.in_(TRACKED))
        .group_by(spans.c.status, start, end)
    )


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def compute_trend(f: RegisterFilter, today: date) -> Trend:
    steps: dict[str, dict[Status, int]] = defaultdict(lambda: defaultdict(int))
    for status, first, last, n in db.session.execute(trend_query(f, today)):
        start, end = _month_text(first), _month_text(last)
        if start == end:
            continue  # superseded within its month: never the status at a month's end
        steps[start][status] += n
        if end is not None:
            steps[end][status] -= n
    current = today.strftime("%Y-%m")
    months = _months(min(steps), current) if steps and min(steps) <= current else []
    series: dict[Status, list[int]] = {s: [] for s in TRACKED}
    running = dict.fromkeys(TRACKED, 0)
    for month in months:
        for status, n in steps.get(month, {}).items():
            running[status] += n
        for status in TRACKED:
            series[status].append(running[status])
    return Trend(months=months, series=series)
