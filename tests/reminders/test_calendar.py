"""Working days for reminders: weekends and Lao public holidays move a reminder to the working
day before; the sweep of a working day covers the non-working days after it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker.extensions import db
from tracker.models import Holiday
from tracker.reminders.calendar import (
    first_working_day_of_month,
    holidays_around,
    is_working_day,
    next_working_day,
    nominal_days_covered,
    previous_working_day,
    sending_day,
)

NONE: frozenset[date] = frozenset()


def days(*isos: str) -> list[date]:
    return [date.fromisoformat(d) for d in isos]


def test_weekdays_are_working_days_and_weekends_are_not():
    week = days(
        "2024-03-11", "2024-03-12", "2024-03-13", "2024-03-14", "2024-03-15", "2024-03-16",
        "2024-03-17",
    )  # fmt: skip
    assert [is_working_day(d, NONE) for d in week] == [True] * 5 + [False] * 2


def test_a_holiday_is_not_a_working_day():
    assert not is_working_day(date(2024, 3, 8), {date(2024, 3, 8)})  # Women's Day, a Friday


def test_friday_covers_the_weekend_and_the_weekend_covers_nothing():
    assert nominal_days_covered(date(2024, 3, 15), NONE) == days(
        "2024-03-15", "2024-03-16", "2024-03-17"
    )
    assert nominal_days_covered(date(2024, 3, 16), NONE) == []
    assert nominal_days_covered(date(2024, 3, 17), NONE) == []
    assert nominal_days_covered(date(2024, 3, 18), NONE) == days("2024-03-18")
    assert nominal_days_covered(date(2024, 3, 14), NONE) == days("2024-03-14")


def test_a_monday_holiday_is_covered_by_the_friday_before():
    holidays = {date(2024, 4, 15)}  # Lao New Year falls on Monday 15 April 2024
    assert nominal_days_covered(date(2024, 4, 12), holidays) == days(
        "2024-04-12", "2024-04-13", "2024-04-14", "2024-04-15"
    )
    assert nominal_days_covered(date(2024, 4, 15), holidays) == []
    assert nominal_days_covered(date(2024, 4, 16), holidays) == days("2024-04-16")
    assert sending_day(date(2024, 4, 15), holidays) == date(2024, 4, 12)
    assert next_working_day(date(2024, 4, 12), holidays) == date(2024, 4, 16)


def test_a_friday_holiday_moves_the_weekend_to_thursday():
    holidays = {date(2024, 3, 8)}
    assert nominal_days_covered(date(2024, 3, 7), holidays) == days(
        "2024-03-07", "2024-03-08", "2024-03-09", "2024-03-10"
    )
    assert sending_day(date(2024, 3, 10), holidays) == date(2024, 3, 7)
    assert previous_working_day(date(2024, 3, 11), holidays) == date(2024, 3, 7)


def test_a_run_of_holidays_across_a_month_end():
    # Lao New Year 14-16 April 2025 (Monday to Wednesday): Friday 11 covers six days.
    holidays = set(days("2025-04-14", "2025-04-15", "2025-04-16"))
    assert nominal_days_covered(date(2025, 4, 11), holidays) == days(
        "2025-04-11", "2025-04-12", "2025-04-13", "2025-04-14", "2025-04-15", "2025-04-16"
    )
    # 31 August 2024 is a Saturday: the last Friday of August covers 1 September too.
    assert nominal_days_covered(date(2024, 8, 30), NONE) == days(
        "2024-08-30", "2024-08-31", "2024-09-01"
    )
    assert sending_day(date(2024, 9, 1), NONE) == date(2024, 8, 30)


def test_year_end_with_new_years_day_on_a_monday():
    holidays = {date(2024, 1, 1)}
    assert nominal_days_covered(date(2023, 12, 29), holidays) == days(
        "2023-12-29", "2023-12-30", "2023-12-31", "2024-01-01"
    )
    assert sending_day(date(2024, 1, 1), holidays) == date(2023, 12, 29)
    assert next_working_day(date(2023, 12, 29), holidays) == date(2024, 1, 2)
    assert first_working_day_of_month(2024, 1, holidays) == date(2024, 1, 2)


def test_leap_day_is_an_ordinary_working_day():
    assert nominal_days_covered(date(2024, 2, 29), NONE) == days("2024-02-29")  # a Thursday
    assert next_working_day(date(2024, 2, 28), NONE) == date(2024, 2, 29)
    # A holiday on leap day moves its reminders to the 28th.
    assert nominal_days_covered(date(2024, 2, 28), {date(2024, 2, 29)}) == days(
        "2024-02-28", "2024-02-29"
    )
    assert sending_day(date(2024, 2, 29), {date(2024, 2, 29)}) == date(2024, 2, 28)
    # 2028: leap day on a Tuesday; 2032: on a Sunday, sent on Friday 27 February.
    assert is_working_day(date(2028, 2, 29), NONE)
    assert sending_day(date(2032, 2, 29), NONE) == date(2032, 2, 27)


@pytest.mark.parametrize(
    ("year", "month", "first"),
    [
        (2024, 6, date(2024, 6, 3)),  # 1 June 2024 is a Saturday
        (2024, 9, date(2024, 9, 2)),  # a Sunday
        (2024, 5, date(2024, 5, 1)),  # a Wednesday (Labour Day is not in this calendar)
    ],
)
def test_first_working_day_of_a_month(year, month, first):
    assert first_working_day_of_month(year, month, NONE) == first


def test_impossible_calendars_fail_loudly():
    every_day = {date(2024, 1, 1) + timedelta(days=n) for n in range(90)}
    with pytest.raises(ValueError, match="no working day"):
        next_working_day(date(2023, 12, 31), every_day)


def test_the_sweep_reads_the_holidays_around_its_day(app):
    db.session.add_all(
        [
            Holiday(day=date(2024, 4, 15), name="Lao New Year"),
            Holiday(day=date(2024, 3, 8), name="International Women's Day"),
            Holiday(day=date(2023, 1, 1), name="International New Year"),
        ]
    )
    db.session.commit()
    around = holidays_around(date(2024, 4, 12))
    assert {date(2024, 4, 15), date(2024, 3, 8)} <= around
    assert date(2023, 1, 1) not in around
