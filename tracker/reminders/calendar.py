"""Working days in Lao PDR for reminders: Monday to Friday, except public holidays (the Holiday
table). A reminder whose nominal date is not a working day goes out on the working day before
it, so the sweep of a working day covers that day and the non-working days that follow it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Holiday

# A run of non-working days longer than this means the holiday data is wrong: stop rather than
# loop for ever.
MAX_NON_WORKING_RUN = 60
_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def _step(day: date, holidays: Collection[date], direction: timedelta) -> date:
    for _ in range(MAX_NON_WORKING_RUN):
        day += direction
        if is_working_day(day, holidays):
            return day
    raise ValueError(f"no working day within {MAX_NON_WORKING_RUN} days of {day}")


def previous_working_day(day: date, holidays: Collection[date]) -> date:
    """The last working day strictly before `day`."""
    return _step(day, holidays, -_DAY)


def next_working_day(day: date, holidays: Collection[date]) -> date:
    """The first working day strictly after `day`."""
    return _step(day, holidays, _DAY)


def sending_day(nominal: date, holidays: Collection[date]) -> date:
    """The day a reminder nominally due on `nominal` goes out."""
    return nominal if is_working_day(nominal, holidays) else previous_working_day(nominal, holidays)


def nominal_days_covered(as_of: date, holidays: Collection[date]) -> list[date]:
    """The nominal dates whose reminders the sweep of `as_of` sends: `as_of` itself and every
    non-working day up to the next working day; nothing on a non-working day."""
    if not is_working_day(as_of, holidays):
        return []
    end = next_working_day(as_of, holidays)
    return [as_of + timedelta(days=n) for n in range((end - as_of).days)]


def first_working_day_of_month(year: int, month: int, holidays: Collection[date]) -> date:
    first = date(year, month, 1)
    return first if is_working_day(first, holidays) else next_working_day(first, holidays)


def holidays_around(as_of: date) -> frozenset[date]:
    """The holidays a sweep on `as_of` needs to know (its covered days and the month start)."""
    start = as_of.replace(day=1) - timedelta(days=MAX_NON_WORKING_RUN)
    end = as_of + timedelta(days=2 * MAX_NON_WORKING_RUN)
    return frozenset(db.session.scalars(select(Holiday.day).where(Holiday.day.between(start, end))))
