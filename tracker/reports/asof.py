"""The as-of snapshot: what the register said on a given day, from history alone, so that a
report for a past date gives the same numbers whenever it is produced again.

An update counts on day D when it was validated on or before the end of D (Asia/Vientiane) and
reports an action on or before D. A recommendation's status on D is its latest counted update,
in the order `tracker.updates.services.latest_validated` uses (date of the action, then entry
order); with no counted update it is not started."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import (
    Indicator,
    IndicatorValue,
    Recommendation,
    ReviewState,
    Status,
    StatusUpdate,
)


def end_of_day(day: date, timezone: str) -> datetime:
    """The first instant after `day` in the given zone, in UTC: validations before it count."""
    local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def update_order(update: StatusUpdate) -> tuple:
    """The order of `latest_validated`: date of the action, then entry order."""
    return (update.reported_on, update.id)


@dataclass
class RecState:
    """A recommendation as it stood on the day: its counted updates (oldest first) and, when
    asked, the updates still awaiting review then."""

    counted: list[StatusUpdate] = field(default_factory=list)
    pending: list[StatusUpdate] = field(default_factory=list)

    @property
    def latest(self) -> StatusUpdate | None:
        return self.counted[-1] if self.counted else None

    @property
    def status(self) -> Status:
        return self.latest.status if self.latest else Status.NOT_STARTED

    @property
    def percent(self) -> int | None:
        return self.latest.percent if self.latest else None


def snapshot(
    recommendations: list[Recommendation], as_of: date, timezone: str
) -> dict[int, RecState]:
    """The state of each recommendation on `as_of`, read in one query for all of them."""
    cutoff = end_of_day(as_of, timezone)
    states = {rec.id: RecState() for rec in recommendations}
    ids = list(states)
    # Chunks keep the IN list within every backend's limit on bound parameters.
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        query = (
            select(StatusUpdate)
            .where(StatusUpdate.recommendation_id.in_(chunk))
            .options(selectinload(StatusUpdate.evidence), selectinload(StatusUpdate.assignment))
        )
        for update in db.session.scalars(query):
            state = states[update.recommendation_id]
            reviewed = update.reviewed_at is not None and update.reviewed_at < cutoff
            if reviewed and update.review_state is ReviewState.VALIDATED:
                if update.reported_on <= as_of:
                    state.counted.append(update)
            elif not reviewed and update.created_at < cutoff:
                # Entered but not yet reviewed on that day (whatever became of it since).
                state.pending.append(update)
    for state in states.values():
        state.counted.sort(key=update_order)
        state.pending.sort(key=update_order)
    return states


_YEAR = re.compile(r"(\d{4})")


def value_counts_from(value: IndicatorValue, timezone: str) -> datetime:
    """When a validated value starts to count. Values reviewed in the app count from their
    review. Values loaded as already validated from a source document have no review time:
    they count from the end of their period ("2023" -> 31 Dec 2023), as the seeder dates the
    document's reported updates by the day they report."""
    if value.reviewed_at is not None:
        return value.reviewed_at
    if match := _YEAR.search(value.period or ""):
        return end_of_day(date(int(match.group(1)), 12, 31), timezone) - timedelta(microseconds=1)
    return value.created_at


def indicator_values(
    indicators: list[Indicator], as_of: date, timezone: str
) -> dict[int, list[IndicatorValue]]:
    """The validated values of each indicator that count on `as_of`, by period."""
    cutoff = end_of_day(as_of, timezone)
    found: dict[int, list[IndicatorValue]] = defaultdict(list)
    if not indicators:
        return found
    query = select(IndicatorValue).where(
        IndicatorValue.indicator_id.in_([i.id for i in indicators]),
        IndicatorValue.review_state == ReviewState.VALIDATED,
        or_(IndicatorValue.reviewed_at.is_(None), IndicatorValue.reviewed_at < cutoff),
    )
    for value in db.session.scalars(query.order_by(IndicatorValue.period, IndicatorValue.id)):
        if value_counts_from(value, timezone) < cutoff:
            found[value.indicator_id].append(value)
    return found
