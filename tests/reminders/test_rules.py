"""The reminder rules: the defaults the issue names, kept as a JSON setting the secretariat can
change, checked before they are saved, and in force at the next sweep."""

from __future__ import annotations

import dataclasses
from datetime import date
from types import SimpleNamespace as Row

import pytest
from sqlalchemy import select

from tests.reminders.test_sweep import item, run, sent_to, world  # noqa: F401  (fixture)
from tracker.extensions import db
from tracker.models import Setting
from tracker.reminders.rules import (
    DEFAULT_RULES,
    Recipient,
    Rules,
    fire,
    load_rules,
    save_rules,
)
from tracker.reminders.snapshot import Snapshot


def test_the_defaults_are_the_issues_rules():
    assert DEFAULT_RULES.to_json() == {
        "before_days": [30, 14, 7, 1, 0],
        "overdue_every_days": 7,
        "escalate_head_after_days": 30,
        "escalate_secretariat_after_days": 60,
        "stale_after_days": 90,
        "waiting_review_days": 7,
        "returned_resubmit_days": 14,
        "needs_date_monthly": True,
    }


def test_without_a_setting_the_defaults_are_in_force(app):
    assert load_rules() == DEFAULT_RULES


def test_saved_rules_are_kept_as_json_and_loaded_back(app):
    changed = dataclasses.replace(DEFAULT_RULES, before_days=(10, 3), stale_after_days=None)
    save_rules(changed)
    db.session.commit()
    stored = db.session.scalar(select(Setting).where(Setting.key == "reminders"))
    assert stored.value["before_days"] == [10, 3] and stored.value["stale_after_days"] is None
    assert load_rules() == changed
    save_rules(DEFAULT_RULES)  # saving again updates the one setting
    db.session.commit()
    assert load_rules() == DEFAULT_RULES
    assert len(db.session.scalars(select(Setting)).all()) == 1


def test_a_setting_naming_only_some_rules_takes_the_defaults_for_the_others(app):
    db.session.add(Setting(key="reminders", value={"overdue_every_days": 14}))
    db.session.commit()
    assert load_rules() == dataclasses.replace(DEFAULT_RULES, overdue_every_days=14)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"before_days": (7, -1)}, "before_days must be between 0 and 3650 days, not -1"),
        ({"before_days": (7, 7)}, "before_days lists the same number of days twice"),
        ({"before_days": (7, 1.5)}, "before_days must be whole numbers of days, not 1.5"),
        ({"overdue_every_days": 0}, "overdue_every_days must be between 1 and 3650 days, not 0"),
        ({"stale_after_days": True}, "stale_after_days must be whole numbers of days, not True"),
        ({"waiting_review_days": "7"}, "waiting_review_days must be whole numbers of days"),
        ({"needs_date_monthly": "yes"}, "needs_date_monthly must be true or false"),
        (
            {"escalate_head_after_days": 60, "escalate_secretariat_after_days": 30},
            "escalate_secretariat_after_days must not be less than escalate_head_after_days",
        ),
    ],
)
def test_wrong_rules_are_refused_with_a_clear_message(app, changes, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        save_rules(dataclasses.replace(DEFAULT_RULES, **changes))
    assert db.session.scalar(select(Setting)) is None


def test_unknown_or_malformed_json_is_refused():
    with pytest.raises(ValueError, match="unknown reminder rule.*: remind_ministers"):
        Rules.from_json({"remind_ministers": True})
    with pytest.raises(ValueError, match="before_days must be a list"):
        Rules.from_json({"before_days": 7})
    with pytest.raises(ValueError, match="must be a JSON object"):
        Rules.from_json([7])


def test_a_broken_stored_setting_stops_the_sweep_rather_than_being_ignored(app):
    db.session.add(Setting(key="reminders", value={"before_days": [7, "soon"]}))
    db.session.commit()
    with pytest.raises(ValueError, match="setting 'reminders' is not valid: before_days"):
        load_rules()


def test_changed_rules_are_in_force_at_the_next_sweep(world):  # noqa: F811
    item(world, "R-1", "2024-05-15")
    save_rules(dataclasses.replace(DEFAULT_RULES, before_days=(3,)))
    db.session.commit()
    assert not run("2024-05-08").recipients  # 7 days before: no longer a rule
    assert sent_to(run("2024-05-10")) == {"fp@moj.example": {"due_soon": ["R-1"]}}
    assert sent_to(run(date(2024, 5, 15))) == {}  # nor is the day itself


def test_switched_off_rules_do_not_fire(world):  # noqa: F811
    item(world, "R-LATE", "2024-03-06")
    item(world, "R-NODATE", "quarter 4/year?")
    save_rules(
        dataclasses.replace(DEFAULT_RULES, overdue_every_days=None, needs_date_monthly=False)
    )
    db.session.commit()
    assert not run("2024-03-13").recipients  # would be 7 days overdue
    assert not run("2024-06-03").recipients  # would be the monthly list


def test_the_rules_alone_decide_from_a_snapshot_what_fires():
    sec, author = Recipient("sec@x", 1), Recipient("fp@x", 2)
    snapshot = Snapshot(
        users={1: sec, 2: author},
        secretariat=[sec],
        waiting=[
            Row(id=10, recommendation_id=1, code="R-W", on=date(2024, 5, 1)),  # 7 days
            Row(id=11, recommendation_id=2, code="R-X", on=date(2024, 5, 2)),  # 6 days
        ],
        returned=[
            Row(id=12, recommendation_id=3, code="R-R", on=date(2024, 4, 24), author_id=2),
            Row(id=13, recommendation_id=4, code="R-S", on=date(2024, 4, 23), author_id=2),
        ],
        assignments=[
            Row(id=5, recommendation_id=5, body_id=9, deadline=date(2024, 5, 15),
                recurrence=None, code="R-D"),
        ],
        focal_points_of=lambda ids: {5: [2]} if ids == [5] else {},
    )  # fmt: skip
    events = fire(snapshot, date(2024, 5, 8), frozenset(), DEFAULT_RULES)
    assert sorted(events) == [
        "fp@x|before|R-D|7d:2024-05-15",
        "fp@x|returned|R-R|update:12",
        "sec@x|waiting_review|R-W|update:10",
    ]
    assert events["fp@x|before|R-D|7d:2024-05-15"].bodies == {9}
