"""The daily sweep: who is reminded of what, on which day, once per period, in one digest each;
on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text

from config import DevelopmentConfig
from tests import factories as f
from tracker import create_app
from tracker.extensions import db
from tracker.models import (
    Body,
    Holiday,
    OutboxMessage,
    ReminderEvent,
    ReviewState,
    Role,
    Status,
    User,
)
from tracker.reminders import cli as cli_module
from tracker.reminders import sweep as sweep_module
from tracker.reminders.sweep import sweep
from tracker.updates.services import add_update

BASE = "https://tracker.example.la"


def person(email: str, role: Role = Role.FOCAL_POINT, body: str | None = None, **kw) -> User:
    """An account as the sweep sees it (no password: nobody signs in here)."""
    user = User(
        email=email,
        name=kw.pop("name", email.split("@")[0]),
        password_hash="-",
        role=role,
        body=db.session.scalar(select(Body).where(Body.code == body)) if body else None,
        **kw,
    )
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def world(app):
    src = f.source()
    f.body("MOJ", acronym="MoJ", head_email=" Head@MoJ.gov.la ")
    f.body("MOHA", acronym="MoHA", name_lo="ກະຊວງພາຍໃນ")
    return SimpleNamespace(
        src=src,
        fp=person("fp@moj.example", body="MOJ", name="Focal MoJ"),
        fp_lo=person("fp@moha.example", body="MOHA", language="lo", name="ສົມພອນ"),
        sec=person("sec@nsc.example", Role.SECRETARIAT, name="Secretariat"),
    )


def item(world, code: str, deadline: str | None, *, body: str = "MOJ", focal=None, **kw):
    """A recommendation led by `body`, with its focal point attached to the assignment."""
    rec = f.recommendation(world.src, code, lead=body, deadline=deadline, **kw)
    for user in focal if focal is not None else [world.fp if body == "MOJ" else world.fp_lo]:
        rec.lead.focal_points.append(user)
    db.session.commit()
    return rec


def run(day: str | date, **kw):
    """Sweep a day and commit, as the CLI and the scheduler do."""
    report = sweep(day if isinstance(day, date) else date.fromisoformat(day), base_url=BASE, **kw)
    db.session.commit()
    return report


def event_keys() -> set[str]:
    return set(db.session.scalars(select(ReminderEvent.key)))


def digests() -> dict[str, OutboxMessage]:
    db.session.expire_all()
    return {m.recipient_email: m for m in db.session.scalars(select(OutboxMessage))}


def sent_to(report) -> dict[str, dict[str, list[str]]]:
    return {r.email: r.sections for r in report.recipients}


# -- before the deadline, on working days ----------------------------------------------------


def test_before_deadline_reminders_go_30_14_7_1_days_before_and_on_the_day(world):
    item(world, "R-1", "2024-05-15")  # a Wednesday
    fired = {}
    day = date(2024, 4, 10)
    while day <= date(2024, 5, 20):
        report = run(day)
        if report.recipients:
            fired[day] = sent_to(report)
        day += timedelta(days=1)
    assert fired == {
        date(2024, 4, 15): {"fp@moj.example": {"due_soon": ["R-1"]}},
        date(2024, 5, 1): {"fp@moj.example": {"due_soon": ["R-1"]}},
        date(2024, 5, 8): {"fp@moj.example": {"due_soon": ["R-1"]}},
        date(2024, 5, 14): {"fp@moj.example": {"due_soon": ["R-1"]}},
        date(2024, 5, 15): {"fp@moj.example": {"due_soon": ["R-1"]}},
    }
    assert event_keys() == {f"fp@moj.example|before|R-1|{k}d:2024-05-15" for k in (30, 14, 7, 1, 0)}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5


def test_a_reminder_due_on_saturday_goes_out_on_fridays_sweep_not_mondays(world):
    item(world, "R-SAT", "2024-03-23")  # 7 days before is Saturday 16 March
    assert not run("2024-03-18").recipients  # Monday
    assert not run("2024-03-16").recipients  # the Saturday itself: nothing on a weekend
    friday = run("2024-03-15")
    assert sent_to(friday) == {"fp@moj.example": {"due_soon": ["R-SAT"]}}
    assert event_keys() == {"fp@moj.example|before|R-SAT|7d:2024-03-23"}
    assert not run("2024-03-18").recipients


def test_a_monday_holiday_moves_its_reminders_to_the_friday_before(world):
    db.session.add(Holiday(day=date(2024, 4, 15), name="Lao New Year"))  # a Monday
    item(world, "R-HOL", "2024-04-22")  # 7 days before is the holiday
    assert not run("2024-04-15").recipients
    assert not run("2024-04-16").recipients
    assert sent_to(run("2024-04-12")) == {"fp@moj.example": {"due_soon": ["R-HOL"]}}


def test_a_friday_holiday_moves_its_reminders_and_the_weekends_to_thursday(world):
    db.session.add(Holiday(day=date(2023, 12, 29), name="Bridge day"))  # a Friday
    item(world, "R-FRI", "2024-01-05")  # 7 days before: the holiday
    item(world, "R-SUN", "2024-01-07")  # 7 days before: Sunday
    item(world, "R-MON", "2024-01-08")  # 7 days before: Monday 1 January, not a holiday here
    thursday = run("2023-12-28")
    assert sent_to(thursday) == {"fp@moj.example": {"due_soon": ["R-FRI", "R-SUN"]}}
    assert sent_to(run("2024-01-01")) == {"fp@moj.example": {"due_soon": ["R-MON"]}}


# -- once per period -------------------------------------------------------------------------


def test_running_the_same_day_twice_queues_nothing_new(world):
    item(world, "R-1", "2024-05-15")
    first = run("2024-05-08")
    assert first.messages == 1 and first.events == 1
    keys, rows = event_keys(), digests()
    second = run("2024-05-08")
    assert second.messages == 0 and second.events == 0
    assert event_keys() == keys and digests().keys() == rows.keys()


def test_overdue_reminders_go_every_7_days_and_again_at_each_step(world):
    item(world, "R-LATE", "2024-03-06")  # a Wednesday
    assert not run("2024-03-12").recipients
    step_one = run("2024-03-13")
    assert sent_to(step_one) == {"fp@moj.example": {"overdue": ["R-LATE"]}}
    assert not run("2024-03-14").recipients
    assert not run("2024-03-13").recipients
    step_two = run("2024-03-20")
    assert sent_to(step_two) == {"fp@moj.example": {"overdue": ["R-LATE"]}}
    assert event_keys() == {
        "fp@moj.example|overdue|R-LATE|+7d:2024-03-06",
        "fp@moj.example|overdue|R-LATE|+14d:2024-03-06",
    }


@pytest.mark.parametrize(("days_late", "head_reminded"), [(29, False), (30, False), (31, True)])
def test_overdue_more_than_30_days_also_goes_to_the_bodys_head(world, days_late, head_reminded):
    # Tuesday 2 April is 29 days after the deadline: 29, 30 and 31 fall Tuesday to Thursday.
    item(world, "R-LATE", "2024-03-04")
    report = run(date(2024, 3, 4) + timedelta(days=days_late))
    assert ("head@moj.gov.la" in sent_to(report)) is head_reminded
    if head_reminded:
        assert sent_to(report)["head@moj.gov.la"] == {"overdue": ["R-LATE"]}
        head = digests()["head@moj.gov.la"]
        assert head.recipient_id is None and head.language == "en"
        assert event_keys() == {"head@moj.gov.la|escalate_head|R-LATE|+31d:2024-03-04"}


def test_the_head_is_told_once_while_the_focal_points_keep_their_weekly_reminders(world):
    item(world, "R-LATE", "2024-03-04")
    assert "head@moj.gov.la" in sent_to(run("2024-04-04"))  # 31 days
    for day in ("2024-04-08", "2024-04-11", "2024-05-06"):  # 35, 38 and 63 days
        report = run(day)
        assert "head@moj.gov.la" not in sent_to(report), day
    assert sent_to(run("2024-04-15")) == {"fp@moj.example": {"overdue": ["R-LATE"]}}  # 42


@pytest.mark.parametrize(("days_late", "escalated"), [(59, False), (60, False), (61, True)])
def test_overdue_more_than_60_days_goes_to_the_secretariats_digest(world, days_late, escalated):
    # 59, 60 and 61 days after Saturday 9 March 2024 are Tuesday 7 to Thursday 9 May.
    item(world, "R-LATE", "2024-03-09")
    report = run(date(2024, 3, 9) + timedelta(days=days_late))
    assert ("sec@nsc.example" in sent_to(report)) is escalated
    if escalated:
        assert sent_to(report)["sec@nsc.example"] == {"overdue": ["R-LATE"]}
        assert "sec@nsc.example|escalate_secretariat|R-LATE|+61d:2024-03-09" in event_keys()


# -- who -------------------------------------------------------------------------------------


def test_paused_users_get_no_reminders_but_escalations_still_reach_them(world):
    world.fp.reminders_paused = True
    world.sec.reminders_paused = True
    head = person("head@moj.gov.la", Role.VIEWER, language="lo")
    head.reminders_paused = True
    item(world, "R-SOON", "2024-05-14")  # 7 days before: 7 May
    item(world, "R-HEAD", "2024-04-06")  # 31 days late on 7 May
    item(world, "R-SEC", "2024-03-07")  # 61 days late on 7 May
    submitted = add_update(
        item(world, "R-WAIT", "2025-12-31"),
        status=Status.IN_PROGRESS,
        reported_on=date(2024, 4, 29),
    )
    submitted.created_at = datetime(2024, 4, 30, 3, 0, tzinfo=UTC)  # waiting 7 days on 7 May
    db.session.commit()
    escalated = run("2024-05-07")
    assert sent_to(escalated) == {
        "head@moj.gov.la": {"overdue": ["R-HEAD"]},
        "sec@nsc.example": {"overdue": ["R-SEC"]},
    }
    assert digests()["head@moj.gov.la"].language == "lo"  # an account: its own language
    assert digests()["head@moj.gov.la"].recipient_id == head.id


def test_inactive_users_get_nothing_not_even_escalations(world):
    world.fp.active = False
    world.sec.active = False
    head = person("head@moj.gov.la", Role.VIEWER)
    head.active = False
    item(world, "R-SOON", "2024-05-14")
    item(world, "R-HEAD", "2024-04-06")
    item(world, "R-SEC", "2024-03-07")
    assert not run("2024-05-07").recipients
    assert event_keys() == set()


def test_closed_and_archived_recommendations_get_no_reminders(world):
    item(world, "R-OPEN", "2024-05-15")
    done = item(world, "R-DONE", "2024-05-15")
    gone = item(world, "R-GONE", "2024-05-15")
    archived = item(world, "R-ARCH", "2024-05-15")
    archived.archived = True
    add_update(
        done, status=Status.IMPLEMENTED, reported_on=date(2024, 5, 1), validated_by=world.sec
    )
    add_update(
        gone, status=Status.NO_LONGER_RELEVANT, reported_on=date(2024, 5, 1), validated_by=world.sec
    )
    db.session.commit()
    assert sent_to(run("2024-05-08")) == {"fp@moj.example": {"due_soon": ["R-OPEN"]}}


def test_one_digest_per_recipient_in_sections_in_their_order(world):
    both = world.sec  # a secretariat member who is also focal point of an item
    item(world, "R-SOON", "2024-05-15", focal=[world.fp, both])
    item(world, "R-LATE", "2024-05-01")
    stale = item(world, "R-STALE", "2024-12-31")
    add_update(stale, status=Status.IN_PROGRESS, reported_on=date(2024, 2, 8), validated_by=both)
    db.session.commit()
    report = run("2024-05-08")
    assert sent_to(report) == {
        "fp@moj.example": {"due_soon": ["R-SOON"], "overdue": ["R-LATE"], "stale": ["R-STALE"]},
        "sec@nsc.example": {"due_soon": ["R-SOON"]},
    }
    rows = digests()
    assert set(rows) == {"fp@moj.example", "sec@nsc.example"}
    mine = rows["fp@moj.example"]
    assert mine.idempotency_key == "fp@moj.example|digest|2024-05-08"
    assert mine.subject == "Tracker: 1 overdue, 1 due soon, 1 without recent update — 2024-05-08"
    assert mine.items == ["R-LATE", "R-SOON", "R-STALE"]
    text = mine.body_text
    assert text.index("Overdue") < text.index("Due soon") < text.index("No recent update")
    for code in ("R-LATE", "R-SOON", "R-STALE"):
        assert f"{BASE}/recommendations/{code}" in text
        assert f'href="{BASE}/recommendations/{code}"' in mine.body_html
    assert {e.message_id for e in db.session.scalars(select(ReminderEvent))} == {
        rows["fp@moj.example"].id,
        rows["sec@nsc.example"].id,
    }


# -- unknown dates, recurring deadlines, updates ----------------------------------------------


def test_unknown_dates_never_remind_and_are_listed_monthly_for_the_secretariat(world):
    item(world, "R-NODATE", "quarter 4/year?")
    item(world, "R-DATED", "2024-12-31")
    for day in ("2024-05-31", "2024-06-04", "2024-06-28"):  # the 31st covers 1-2 June
        assert not run(day).recipients, day
    first = run("2024-06-03")  # 1 June is a Saturday: Monday 3 is the first working day
    assert sent_to(first) == {"sec@nsc.example": {"needs_date": ["R-NODATE"]}}
    assert "quarter 4/year?" in digests()["sec@nsc.example"].body_text
    assert sent_to(run("2024-07-01")) == {"sec@nsc.example": {"needs_date": ["R-NODATE"]}}
    assert {k for k in event_keys() if "needs_date" in k} == {
        "sec@nsc.example|needs_date|R-NODATE|2024-06",
        "sec@nsc.example|needs_date|R-NODATE|2024-07",
    }


def test_recurring_deadlines_are_reminded_before_each_occurrence_never_overdue(world):
    item(world, "R-YEARLY", "quarter 1 / Annually")  # every 31 March
    assert sent_to(run("2025-03-24")) == {"fp@moj.example": {"due_soon": ["R-YEARLY"]}}
    assert sent_to(run("2026-03-24")) == {"fp@moj.example": {"due_soon": ["R-YEARLY"]}}
    assert not run("2025-04-07").recipients  # 7 days after an occurrence: not overdue
    assert event_keys() == {
        "fp@moj.example|before|R-YEARLY|7d:2025-03-31",
        "fp@moj.example|before|R-YEARLY|7d:2026-03-31",
    }


def test_items_without_an_update_for_90_days_remind_their_focal_points_every_90_days(world):
    rec = item(world, "R-QUIET", "2025-12-31")
    add_update(rec, status=Status.IN_PROGRESS, reported_on=date(2024, 1, 3), validated_by=world.sec)
    db.session.commit()
    assert not run("2024-04-01").recipients  # 89 days
    assert sent_to(run("2024-04-02")) == {"fp@moj.example": {"stale": ["R-QUIET"]}}
    assert not run("2024-04-03").recipients
    assert sent_to(run("2024-07-01")) == {"fp@moj.example": {"stale": ["R-QUIET"]}}  # 180
    assert event_keys() == {
        "fp@moj.example|stale|R-QUIET|+90d:2024-01-03",
        "fp@moj.example|stale|R-QUIET|+180d:2024-01-03",
    }


def test_a_submitted_update_unreviewed_for_7_days_goes_to_the_secretariat(world):
    updates = []
    for code in ("R-WAIT", "R-REVIEWED"):
        rec = item(world, code, "2025-12-31")
        updates.append(add_update(rec, status=Status.IN_PROGRESS, reported_on=date(2024, 3, 1)))
        # 18:30 UTC on 4 March is 01:30 on 5 March in Vientiane: the day it was submitted.
        updates[-1].created_at = datetime(2024, 3, 4, 18, 30, tzinfo=UTC)
    updates[1].review_state = ReviewState.VALIDATED
    db.session.commit()
    assert not run("2024-03-11").recipients
    assert sent_to(run("2024-03-12")) == {"sec@nsc.example": {"waiting": ["R-WAIT"]}}
    assert event_keys() == {f"sec@nsc.example|waiting_review|R-WAIT|update:{updates[0].id}"}
    assert "awaits review" in digests()["sec@nsc.example"].body_text


def test_a_returned_update_not_resubmitted_for_14_days_goes_to_its_author(world):
    returned = []
    for code in ("R-RET", "R-FIXED"):
        rec = item(world, code, "2025-12-31")
        update = add_update(
            rec, status=Status.IN_PROGRESS, reported_on=date(2024, 3, 1), author=world.fp
        )
        update.review_state = ReviewState.RETURNED
        update.reviewed_at = datetime(2024, 3, 5, 2, 0, tzinfo=UTC)
        returned.append(update)
    add_update(
        returned[1].recommendation,
        status=Status.IN_PROGRESS,
        reported_on=date(2024, 3, 10),
        author=world.fp,
    ).replaces = returned[1]
    db.session.commit()
    assert not run("2024-03-18").recipients
    assert sent_to(run("2024-03-19")) == {"fp@moj.example": {"waiting": ["R-RET"]}}
    assert "returned on" in digests()["fp@moj.example"].body_text


# -- dry run and races -----------------------------------------------------------------------


def test_a_dry_run_reports_what_would_go_and_writes_nothing(world):
    item(world, "R-1", "2024-05-15")
    dry = run("2024-05-08", dry_run=True)
    assert sent_to(dry) == {"fp@moj.example": {"due_soon": ["R-1"]}}
    assert dry.events == 1 and not dry.recipients[0].queued
    assert event_keys() == set() and digests() == {}
    assert run("2024-05-08").messages == 1
    assert not run("2024-05-08", dry_run=True).recipients


def test_nothing_goes_on_a_non_working_day(world):
    item(world, "R-1", "2024-05-18")  # the Saturday's own deadline
    report = run("2024-05-18")
    assert report.covered == [] and not report.recipients


def test_a_digest_queued_meanwhile_by_another_process_is_left_alone(world, monkeypatch):
    item(world, "R-1", "2024-05-15")
    assert run("2024-05-08").messages == 1
    # As if the other process committed between this one's reading and its writing.
    monkeypatch.setattr(sweep_module, "_existing", lambda events, as_of: (set(), set()))
    report = run("2024-05-08")
    assert report.messages == 0 and report.already_queued == ["fp@moj.example"]
    assert db.session.scalar(select(func.count()).select_from(ReminderEvent)) == 1


def test_events_taken_meanwhile_are_left_out_of_the_digest(world, monkeypatch):
    item(world, "R-1", "2024-05-08")  # due on the day
    item(world, "R-2", "2024-05-15")  # 7 days before
    # Another process recorded R-1's reminder (with a digest of its own) after this one read.
    other = OutboxMessage(
        idempotency_key="other",
        recipient_email="fp@moj.example",
        kind="digest",
        subject="",
        body_text="",
        body_html="",
        run_date=date(2024, 5, 8),
    )
    db.session.add(other)
    db.session.flush()
    db.session.add(
        ReminderEvent(
            key="fp@moj.example|before|R-1|0d:2024-05-08",
            rule="before",
            recipient_email="fp@moj.example",
            message_id=other.id,
        )
    )
    db.session.commit()
    monkeypatch.setattr(sweep_module, "_existing", lambda events, as_of: (set(), set()))
    report = run("2024-05-08")
    assert sent_to(report) == {"fp@moj.example": {"due_soon": ["R-2"]}}
    mine = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.idempotency_key.like("%|digest|2024-05-08"))
    )
    assert mine.items == ["R-2"] and "R-1" not in mine.body_text and "R-1" not in mine.subject
    assert mine.subject == "Tracker: 1 due soon — 2024-05-08"


def test_no_digest_is_left_when_every_event_was_taken_meanwhile(world, monkeypatch):
    item(world, "R-1", "2024-05-15")
    run("2024-05-08")
    db.session.execute(OutboxMessage.__table__.update().values(idempotency_key="renamed"))
    db.session.commit()
    monkeypatch.setattr(sweep_module, "_existing", lambda events, as_of: (set(), set()))
    assert run("2024-05-08").messages == 0
    assert set(digests()) == {"fp@moj.example"}  # only the renamed one
    assert digests()["fp@moj.example"].idempotency_key == "renamed"


@pytest.mark.postgres_only  # concurrent writers: SQLite serialises them
def test_two_processes_sweeping_at_once_queue_each_reminder_once(world, app):
    for n in range(40):
        item(world, f"R-{n:02d}", "2024-05-15", body="MOJ" if n % 2 else "MOHA")
    barrier, errors, reports = threading.Barrier(2), [], []

    def process():
        with app.app_context():
            try:
                barrier.wait()
                reports.append(run("2024-05-08"))
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)

    threads = [threading.Thread(target=process) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.messages for r in reports) == 2
    assert sum(r.events for r in reports) == 40
    assert len(digests()) == 2 and len(event_keys()) == 40


def _sweep_in_another_process(app, day: str) -> tuple[threading.Thread, list]:
    """A sweep on a connection of its own, as a second scheduler would run it."""
    outcome: list = []

    def process():
        with app.app_context():
            try:
                outcome.append(run(day))
            except Exception as error:  # pragma: no cover - asserted by the caller
                outcome.append(error)

    thread = threading.Thread(target=process)
    thread.start()
    return thread, outcome


def _wait_until_blocked_by(watcher, pid: int) -> None:
    """Until a session waits for a lock held by session `pid` (the sweep meeting its key)."""
    deadline = time.monotonic() + 10
    query = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
    while not watcher.execute(query, {"pid": pid}).scalar():
        assert time.monotonic() < deadline, "the sweep never waited for the other transaction"
        threading.Event().wait(0.01)


@pytest.mark.postgres_only  # concurrent transactions: SQLite serialises them
@pytest.mark.parametrize("other_commits", [True, False])
def test_a_sweep_waits_for_a_concurrent_digest_and_follows_its_outcome(world, app, other_commits):
    item(world, "R-1", "2024-05-15")
    with db.engine.connect() as other, db.engine.connect() as watcher:
        watcher.execution_options(isolation_level="AUTOCOMMIT")
        transaction = other.begin()  # another process has queued the digest, not committed
        other_pid = other.execute(text("SELECT pg_backend_pid()")).scalar()
        other.execute(
            OutboxMessage.__table__.insert().values(
                idempotency_key="fp@moj.example|digest|2024-05-08",
                recipient_email="fp@moj.example",
                language="en",
                kind="digest",
                subject="theirs",
                body_text="",
                body_html="",
                items=[],
                run_date=date(2024, 5, 8),
                state="QUEUED",
                attempts=0,
                next_attempt_at=datetime(2024, 5, 8, tzinfo=UTC),
                created_at=datetime(2024, 5, 8, tzinfo=UTC),
            )
        )
        thread, outcome = _sweep_in_another_process(app, "2024-05-08")
        _wait_until_blocked_by(watcher, other_pid)
        if other_commits:
            transaction.commit()
        else:
            transaction.rollback()
        thread.join()
    [report] = outcome
    db.session.expire_all()
    if other_commits:  # theirs stands, and ours adds nothing
        assert report.already_queued == ["fp@moj.example"] and report.messages == 0
        assert digests()["fp@moj.example"].subject == "theirs" and event_keys() == set()
    else:  # theirs never happened: ours is queued
        assert report.already_queued == [] and report.messages == 1
        assert digests()["fp@moj.example"].subject.startswith("Tracker: 1 due soon")
        assert event_keys() == {"fp@moj.example|before|R-1|7d:2024-05-15"}


# -- the command line ------------------------------------------------------------------------


def test_the_command_shows_what_would_go_on_a_dry_run_and_writes_nothing(world, runner):
    item(world, "R-1", "2024-05-15")
    item(world, "R-LATE", "2024-05-01")
    result = runner.invoke(args=["reminders", "run", "--as-of", "2024-05-08", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "fp@moj.example [en] would go: 2 reminders",
        "  overdue: R-LATE",
        "  due soon: R-1",
        "Total for 2024-05-08: 1 digest, 2 reminders would be queued (dry run: nothing written)",
    ]
    assert digests() == {}


def test_the_command_queues_the_digests_and_a_second_run_adds_nothing(world, runner, app):
    item(world, "R-1", "2024-05-15")
    first = runner.invoke(args=["reminders", "run", "--as-of", "2024-05-08"])
    assert "fp@moj.example [en] queued: 1 reminder" in first.output
    assert "Total for 2024-05-08: 1 digest, 1 reminder queued" in first.output
    db.session.rollback()  # what the command committed is there for everyone
    assert set(digests()) == {"fp@moj.example"}
    link = f"{app.config['BASE_URL']}/recommendations/R-1"  # links start at BASE_URL
    assert (
        link.startswith("http://127.0.0.1:5000/") and link in digests()["fp@moj.example"].body_text
    )
    second = runner.invoke(args=["reminders", "run", "--as-of", "2024-05-08"])
    assert second.output.splitlines() == ["Total for 2024-05-08: 0 digests, 0 reminders queued"]


def test_the_command_says_so_on_a_non_working_day_and_refuses_a_bad_date(world, runner):
    result = runner.invoke(args=["reminders", "run", "--as-of", "2024-05-18"])
    assert result.output.startswith("2024-05-18 is not a working day: no reminders go out.")
    bad = runner.invoke(args=["reminders", "run", "--as-of", "18/05/2024"])
    assert bad.exit_code == 2 and "--as-of" in bad.output


def test_the_command_sweeps_today_in_vientiane_by_default(world, runner, monkeypatch):
    monkeypatch.setattr(cli_module, "local_today", lambda: date(2024, 5, 8))
    item(world, "R-1", "2024-05-15")
    result = runner.invoke(args=["reminders", "run"])
    assert "Total for 2024-05-08: 1 digest, 1 reminder queued" in result.output


def test_base_url_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("BASE_URL", "https://tracker.example.gov.la/")
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/t.db")
    assert app.config["BASE_URL"] == "https://tracker.example.gov.la"
    monkeypatch.delenv("BASE_URL")
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/t.db")
    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
