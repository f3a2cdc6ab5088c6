"""The scheduler: daily sweep at the configured local hour, outbox every 5 minutes; never under
testing."""

from __future__ import annotations

import pytest

from config import DevelopmentConfig, TestingConfig
from tracker import create_app
from tracker.reminders.jobs import build_scheduler


def test_scheduler_refuses_to_run_under_testing(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/t.db")
    with pytest.raises(RuntimeError, match="testing"):
        build_scheduler(app)


def test_daily_sweep_at_the_local_hour_and_outbox_every_five_minutes(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("REMINDER_HOUR", "7")
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/t.db")
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    sweep = jobs["reminder-sweep"].trigger
    assert str(sweep.timezone) == "Asia/Vientiane"
    assert {f.name: str(f) for f in sweep.fields}["hour"] == "7"
    assert jobs["outbox-send"].trigger.interval.total_seconds() == 300
    assert jobs["reminder-sweep"].max_instances == 1
