"""The reminder rules: when reminders go and to whom. Defaults here; the secretariat's changes are
kept as JSON in the Setting "reminders" and checked before they are saved."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.deadlines import next_occurrence
from tracker.extensions import db
from tracker.models import Setting
from tracker.reminders.calendar import first_working_day_of_month, nominal_days_covered

if TYPE_CHECKING:
    from tracker.reminders.snapshot import Snapshot

SETTING_KEY = "reminders"
MAX_DAYS = 3650


@dataclass(frozen=True)
class Rules:
    """Numbers of days; None switches a rule off (an empty before_days too)."""

    # Before a deadline, to the assignment's focal points (0: on the day).
    before_days: tuple[int, ...] = (30, 14, 7, 1, 0)
    # Overdue, to the focal points, every so many days after the deadline.
    overdue_every_days: int | None = 7
    # Overdue more than so many days: the body's head contact, then the secretariat, are told
    # once, the day the item passes the threshold (the focal points keep their weekly
    # reminders; the register's overdue filter lists every late item).
    escalate_head_after_days: int | None = 30
    escalate_secretariat_after_days: int | None = 60
    # An open assignment without any update for so many days, to the focal points.
    stale_after_days: int | None = 90
    # A submitted update not reviewed for so many days, to the secretariat.
    waiting_review_days: int | None = 7
    # A returned update not resubmitted for so many days, to the focal point who wrote it.
    returned_resubmit_days: int | None = 14
    # The assignments without a date, listed for the secretariat on the first working day of
    # each month.
    needs_date_monthly: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.before_days, list):  # as JSON and forms give it
            object.__setattr__(self, "before_days", tuple(self.before_days))

    def to_json(self) -> dict:
        value = asdict(self)
        value["before_days"] = list(self.before_days)
        return value

    @classmethod
    def from_json(cls, value: dict) -> Rules:
        """Rules from their JSON form, checked; a missing key takes its default."""
        if not isinstance(value, dict):
            raise ValueError("the reminder rules must be a JSON object")
        known = {f.name for f in fields(cls)}
        if unknown := sorted(set(value) - known):
            raise ValueError(f"unknown reminder rule(s): {', '.join(unknown)}")
        rules = cls(**value)
        rules.validate()
        return rules

    def validate(self) -> None:
        """Raise ValueError naming the first rule that is wrong."""
        before = self.before_days
        if not isinstance(before, tuple):
            raise ValueError(_("%(rule)s must be a list of numbers of days", rule="before_days"))
        for day in before:
            _check_days("before_days", day, minimum=0)
        if len(set(before)) != len(before):
            raise ValueError(_("%(rule)s lists the same number of days twice", rule="before_days"))
        for name in (
            "overdue_every_days",
            "escalate_head_after_days",
            "escalate_secretariat_after_days",
            "stale_after_days",
            "waiting_review_days",
            "returned_resubmit_days",
        ):
            if (days := getattr(self, name)) is not None:
                _check_days(name, days, minimum=1)
        if not isinstance(self.needs_date_monthly, bool):
            raise ValueError(_("%(rule)s must be true or false", rule="needs_date_monthly"))
        head, secretariat = self.escalate_head_after_days, self.escalate_secretariat_after_days
        if head is not None and secretariat is not None and secretariat < head:
            raise ValueError(
                _(
                    "%(later)s must not be less than %(earlier)s",
                    later="escalate_secretariat_after_days",
                    earlier="escalate_head_after_days",
                )
            )


def _check_days(name: str, days, *, minimum: int) -> None:
    # bool is an int in Python: refuse `true` where a number of days is meant.
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValueError(
            _("%(rule)s must be whole numbers of days, not %(value)r", rule=name, value=days)
        )
    if not minimum <= days <= MAX_DAYS:
        raise ValueError(
            _(
                "%(rule)s must be between %(min)d and %(max)d days, not %(value)d",
                rule=name,
                min=minimum,
                max=MAX_DAYS,
                value=days,
            )
        )


DEFAULT_RULES = Rules()


def load_rules() -> Rules:
    """The rules in force: the saved setting (checked), else the defaults."""
    setting = db.session.scalars(select(Setting).where(Setting.key == SETTING_KEY)).first()
    if setting is None:
        return DEFAULT_RULES
    try:
        return Rules.from_json(setting.value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"setting {SETTING_KEY!r} is not valid: {error}") from None


def save_rules(rules: Rules) -> None:
    """Check and keep the rules; the caller commits."""
    rules.validate()
    setting = db.session.scalars(select(Setting).where(Setting.key == SETTING_KEY)).first()
    if setting is None:
        db.session.add(Setting(key=SETTING_KEY, value=rules.to_json()))
    else:
        setting.value = rules.to_json()
    db.session.flush()


# -- which rules fire on a day ----------------------------------------------------------------

# What each rule says about an item: the kind of line it makes in a digest.
RULE_KIND = {
    "before": "due_soon",
    "overdue": "overdue",
    "escalate_head": "overdue",
    "escalate_secretariat": "overdue",
    "stale": "stale",
    "waiting_review": "waiting_review",
    "returned": "returned",
    "needs_date": "needs_date",
}
# Escalations still reach a recipient whose reminders are paused.
ESCALATIONS = frozenset({"escalate_head", "escalate_secretariat"})


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int | None = None  # None: an address without an account (a body's head)
    language: str = "en"
    name: str | None = None
    paused: bool = False


@dataclass(slots=True)
class Event:
    """One rule firing for one item and one recipient in one period."""

    key: str  # recipient|rule|item|period: unique in the database
    recipient: Recipient
    rule: str
    code: str
    recommendation_id: int
    due: date | None = None  # the deadline or occurrence concerned
    since: date | None = None  # the last update, or when an update was submitted or returned
    bodies: set[int] = field(default_factory=set)
    assignments: set[int] = field(default_factory=set)

    @property
    def kind(self) -> str:
        return RULE_KIND[self.rule]


def fire(
    snapshot: Snapshot, as_of: date, holidays: Collection[date], rules: Rules
) -> dict[str, Event]:
    """The events the sweep of `as_of` sends (their nominal date is one of the days it
    covers), by key."""
    events: dict[str, Event] = {}
    covered = nominal_days_covered(as_of, holidays)
    if not covered:
        return events

    def add(recipients: Iterable[Recipient], rule: str, row, period: str, **details) -> None:
        for recipient in recipients:
            if recipient.paused and rule not in ESCALATIONS:
                continue
            key = f"{recipient.email}|{rule}|{row.code}|{period}"
            event = events.get(key)
            if event is None:
                event = events[key] = Event(
                    key, recipient, rule, row.code, row.recommendation_id, **details
                )
            if body_id := getattr(row, "body_id", None):
                event.bodies.add(body_id)
                event.assignments.add(row.id)

    by_email = {u.email: u for u in snapshot.users.values()}

    def head(row) -> list[Recipient]:
        email = snapshot.heads.get(row.body_id)
        if not email or email in snapshot.inactive_emails:
            return []
        return [by_email.get(email) or Recipient(email)]

    others = {"escalate_head": head, "escalate_secretariat": lambda row: snapshot.secretariat}
    # Rules to the focal points wait until every firing is known: their focal points are then
    # read for those assignments only.
    for_focal_points: list[tuple] = []
    on_deadline, on_update = _deadline_rules(covered, rules), _stale_rule(covered, rules)
    needs_date = rules.needs_date_monthly and as_of == first_working_day_of_month(
        as_of.year, as_of.month, holidays
    )
    for row in snapshot.assignments:
        if row.deadline is not None:
            for rule, period in on_deadline(row.deadline):
                if rule in others:
                    add(others[rule](row), rule, row, period, due=row.deadline)
                else:
                    for_focal_points.append((row, rule, period, {"due": row.deadline}))
        elif row.recurrence is not None:
            for ahead in rules.before_days:
                for day in covered:
                    due = day + timedelta(days=ahead)
                    if _occurs(row.recurrence, due):
                        for_focal_points.append((row, "before", f"{ahead}d:{due}", {"due": due}))
        elif needs_date:
            add(snapshot.secretariat, "needs_date", row, f"{as_of:%Y-%m}")
        if updated := snapshot.last_update.get(row.recommendation_id):
            for period in on_update(updated):
                for_focal_points.append((row, "stale", period, {"since": updated}))
    focal_points = snapshot.focal_points_of(sorted({f[0].id for f in for_focal_points}))
    for row, rule, period, details in for_focal_points:
        people = [snapshot.users[i] for i in focal_points.get(row.id, ()) if i in snapshot.users]
        add(people, rule, row, period, **details)
    covered_set = set(covered)
    if rules.waiting_review_days:
        wait = timedelta(days=rules.waiting_review_days)
        for row in snapshot.waiting:
            if row.on + wait in covered_set:
                add(snapshot.secretariat, "waiting_review", row, f"update:{row.id}", since=row.on)
    if rules.returned_resubmit_days:
        wait = timedelta(days=rules.returned_resubmit_days)
        for row in snapshot.returned:
            author = snapshot.users.get(row.author_id)
            if author and row.on + wait in covered_set:
                add([author], "returned", row, f"update:{row.id}", since=row.on)
    return events


def _deadline_rules(covered: list[date], rules: Rules):
    """(rule, period) firing for a deadline on the covered days; worked out once per date."""
    before, every = set(rules.before_days), rules.overdue_every_days
    escalations = [
        (rule, after)
        for rule, after in (
            ("escalate_head", rules.escalate_head_after_days),
            ("escalate_secretariat", rules.escalate_secretariat_after_days),
        )
        if after is not None
    ]

    @functools.cache
    def firing(deadline: date) -> list[tuple[str, str]]:
        found = []
        for day in covered:
            ahead = (deadline - day).days
            if ahead >= 0:
                if ahead in before:
                    found.append(("before", f"{ahead}d:{deadline}"))
                continue
            late = -ahead
            if every and late % every == 0:
                found.append(("overdue", f"+{late}d:{deadline}"))
            for rule, after in escalations:
                if late == after + 1:  # the day the item passes the threshold
                    found.append((rule, f"+{late}d:{deadline}"))
        return found

    return firing


def _stale_rule(covered: list[date], rules: Rules):
    """Periods firing for an item last updated on a date: every so many days without one."""
    stale = rules.stale_after_days

    @functools.cache
    def firing(updated: date) -> list[str]:
        if not stale:
            return []
        days = range((covered[0] - updated).days, (covered[-1] - updated).days + 1)
        return [f"+{late}d:{updated}" for late in days if late > 0 and late % stale == 0]

    return firing


@functools.lru_cache(maxsize=256)
def _occurs(recurrence: str, day: date) -> bool:
    return next_occurrence(recurrence, day) == day
