"""Scheduler glue (APScheduler 3): the daily reminder sweep at a local hour and the outbox sender
every few minutes. `make run` runs it inside the web process (`flask serve`), production runs
`flask scheduler` on its own. Never under testing, never in a reloader's parent process.
Inside the web process it also warms the dashboard's cache every minute (it lives there).

The database is the source of truth: the sweep and the sender are idempotent and safe with two
schedulers at once, so a restart simply runs them again (and a catch-up sweep at start-up
covers a day whose sweep hour passed while nothing was running)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from tracker.clock import local_today
from tracker.extensions import db
from tracker.models.base import utcnow

log = logging.getLogger(__name__)


def daily_sweep(app: Flask, as_of: date | None = None) -> None:
    from tracker.reminders.sweep import sweep

    with app.app_context():
        try:
            report = sweep(as_of or local_today(), base_url=app.config["BASE_URL"])
            db.session.commit()
            log.info("reminder sweep: %s", report)
        except Exception:  # a failed run is logged and retried at the next trigger
            db.session.rollback()
            log.exception("reminder sweep failed")
            raise
    send_outbox(app)


def send_outbox(app: Flask) -> None:
    from tracker.reminders.outbox import send_due

    with app.app_context():
        try:
            send_due(utcnow(), clock=utcnow)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("outbox sending failed")
            raise


def build_scheduler(app: Flask, *, blocking: bool = False):
    if app.config.get("TESTING"):
        raise RuntimeError("the scheduler does not run under testing")
    tz = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone=tz)
    hour = int(app.config["REMINDER_HOUR"])
    scheduler.add_job(
        daily_sweep,
        CronTrigger(hour=hour, minute=0, timezone=tz),
        args=[app],
        id="reminder-sweep",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )
    scheduler.add_job(
        send_outbox,
        IntervalTrigger(minutes=5, timezone=tz),
        args=[app],
        id="outbox-send",
        coalesce=True,
        max_instances=1,
    )
    if not blocking:  # the serving process: its dashboard cache, warmed now and after changes
        from tracker.dashboard.warmup import warm_dashboard

        scheduler.add_job(
            warm_dashboard,
            IntervalTrigger(minutes=1, timezone=tz),
            args=[app],
            id="dashboard-warm-up",
            coalesce=True,
            max_instances=1,
            next_run_time=datetime.now(tz),
        )
    # Catch up at start-up when today's sweep hour has already passed (idempotent).
    if datetime.now(tz).hour >= hour:
        scheduler.add_job(daily_sweep, args=[app], id="reminder-catch-up")
    return scheduler
