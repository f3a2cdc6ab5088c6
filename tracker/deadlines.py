"""Honest deadlines: turn a time frame as written ("quarter 1/2024", "by March 2024",
"by the end of 2022", "quarter 4/year?") into a due date and its precision.

A year is never guessed: text without a determinate year gets no date and is flagged "needs a
date". Recurring time frames ("quarter 1 / Annually") get a recurrence instead of a date. The
original text is always kept beside the parsed value by the caller."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from tracker.models.enums import DeadlinePrecision

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

_YEAR = r"(?P<year>(?:19|20)\d{2})"
_QUARTER = re.compile(
    r"\b(?:quarter|q)\s*(?P<q>[1-4](?:\s*-\s*[1-4])*)\s*(?:/|,|\s)\s*"
    r"(?:" + _YEAR + r"|(?P<unknown>year\s*\?|\?+)|(?P<annual>annually|every\s+year|yearly))",
    re.IGNORECASE,
)
_ISO_DAY = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_DMY_DAY = re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b")
_DAY_MONTH_YEAR = re.compile(
    r"\b(?P<d>\d{1,2})\s+(?P<month>" + MONTH_RE + r")\.?\s+" + _YEAR, re.IGNORECASE
)
_MONTH_YEAR = re.compile(r"\b(?P<month>" + MONTH_RE + r")\.?\s*(?:,\s*)?" + _YEAR, re.IGNORECASE)
_BARE_YEAR = re.compile(r"(?<![\d/.-])" + _YEAR + r"(?![\d/.-]?\d)")
_ANNUAL = re.compile(r"\b(annually|every year|yearly|each year)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    date: date | None
    precision: DeadlinePrecision
    recurrence: str | None = None  # e.g. "yearly:03-31"

    @property
    def needs_date(self) -> bool:
        return self.date is None and self.recurrence is None


UNKNOWN = Deadline(None, DeadlinePrecision.UNKNOWN)


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def end_of_quarter(year: int, quarter: int) -> date:
    return end_of_month(year, quarter * 3)


def _day(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_deadline(text: str | None) -> Deadline:
    """Parse a time frame as written. When a text names several determinate dates (e.g.
    "quarter 2/2027 quarter 2-3/year?"), the earliest determinate one is the deadline."""
    text = (text or "").strip()
    if not text:
        return UNKNOWN
    candidates: list[Deadline] = []
    recurring: Deadline | None = None
    consumed = text

    for match in _QUARTER.finditer(text):
        last_quarter = int(match.group("q").replace(" ", "").split("-")[-1])
        if match.group("year"):
            candidates.append(
                Deadline(
                    end_of_quarter(int(match.group("year")), last_quarter),
                    DeadlinePrecision.QUARTER,
                )
            )
        elif match.group("annual"):
            due = end_of_quarter(2001, last_quarter)  # any year: only month and day are kept
            recurring = recurring or Deadline(
                None, DeadlinePrecision.RECURRING, f"yearly:{due:%m-%d}"
            )
        consumed = consumed.replace(match.group(0), " ")

    for pattern, precision in (
        (_ISO_DAY, DeadlinePrecision.DAY),
        (_DMY_DAY, DeadlinePrecision.DAY),
    ):
        for match in pattern.finditer(consumed):
            if due := _day(match.group("y"), match.group("m"), match.group("d")):
                candidates.append(Deadline(due, precision))
            consumed = consumed.replace(match.group(0), " ")
    for match in _DAY_MONTH_YEAR.finditer(consumed):
        month = MONTHS[match.group("month").lower()]
        if due := _day(match.group("year"), str(month), match.group("d")):
            candidates.append(Deadline(due, DeadlinePrecision.DAY))
        consumed = consumed.replace(match.group(0), " ")

    month_matches = list(_MONTH_YEAR.finditer(consumed))
    if month_matches:
        # "December 2023-January 2024" is a period: it is due at the end of its last month.
        last = month_matches[-1]
        candidates.append(
            Deadline(
                end_of_month(int(last.group("year")), MONTHS[last.group("month").lower()]),
                DeadlinePrecision.MONTH,
            )
        )
        for match in month_matches:
            consumed = consumed.replace(match.group(0), " ")

    if not candidates:
        years = [int(m.group("year")) for m in _BARE_YEAR.finditer(consumed)]
        if years:
            candidates.append(Deadline(date(max(years), 12, 31), DeadlinePrecision.YEAR))

    if candidates:
        return min(candidates, key=lambda d: d.date)
    if recurring:
        return recurring
    if _ANNUAL.search(text):
        return Deadline(None, DeadlinePrecision.RECURRING, "yearly:12-31")
    return UNKNOWN


def next_occurrence(recurrence: str, as_of: date) -> date:
    """The next due date of a recurrence on or after as_of (for reminders and overdue checks)."""
    kind, _, month_day = recurrence.partition(":")
    if kind != "yearly":
        raise ValueError(f"unknown recurrence {recurrence!r}")
    month, day = (int(x) for x in month_day.split("-"))
    due = date(as_of.year, month, day)
    return due if due >= as_of else date(as_of.year + 1, month, day)
