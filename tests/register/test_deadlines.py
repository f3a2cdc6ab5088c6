from datetime import date

import pytest

from tracker.deadlines import next_occurrence, parse_deadline
from tracker.models import DeadlinePrecision as P


@pytest.mark.parametrize(
    ("text", "due", "precision"),
    [
        ("quarter 1/2024", date(2024, 3, 31), P.QUARTER),
        ("quarter 3/ 2024", date(2024, 9, 30), P.QUARTER),
        ("quarter 4/2024", date(2024, 12, 31), P.QUARTER),
        ("Quarter 2 / 2025", date(2025, 6, 30), P.QUARTER),
        ("by March 2024", date(2024, 3, 31), P.MONTH),
        ("February 2024", date(2024, 2, 29), P.MONTH),  # leap year month end
        ("December 2023-January 2024", date(2024, 1, 31), P.MONTH),
        ("by the end of 2022", date(2022, 12, 31), P.YEAR),
        ("2024", date(2024, 12, 31), P.YEAR),
        ("In 2024", date(2024, 12, 31), P.YEAR),
        ("31 March 2024", date(2024, 3, 31), P.DAY),
        ("2024-06-15", date(2024, 6, 15), P.DAY),
        # Two time frames written in one cell: the determinate one is the deadline.
        ("quarter 2/2027 quarter 2-3/year?", date(2027, 6, 30), P.QUARTER),
    ],
)
def test_time_frames_as_written_get_their_due_date_and_precision(text, due, precision):
    parsed = parse_deadline(text)
    assert (parsed.date, parsed.precision) == (due, precision)
    assert not parsed.needs_date


@pytest.mark.parametrize(
    "text",
    [
        "quarter 4/year?",
        "quarter 1-2/ year?",
        "quarter 1-2-3-4/year?",
        "",
        None,
        "until the next cycle",
        "2024-02-30",
    ],
)
def test_a_year_is_never_guessed_such_deadlines_need_a_date(text):
    parsed = parse_deadline(text)
    assert parsed.date is None
    assert parsed.precision is P.UNKNOWN
    assert parsed.needs_date


def test_quarterly_recurring_time_frame_recurs_yearly_at_the_quarter_end():
    parsed = parse_deadline("quarter 1 / Annually")
    assert parsed.precision is P.RECURRING
    assert parsed.date is None and not parsed.needs_date
    assert next_occurrence(parsed.recurrence, date(2024, 2, 1)) == date(2024, 3, 31)
    assert next_occurrence(parsed.recurrence, date(2024, 4, 1)) == date(2025, 3, 31)
