"""Two scheduler processes running the daily job at once against one database: every reminder
is queued once and every digest reaches the real SMTP server once."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from tests import factories as f
from tests.reminders.smtp_server import SmtpServer
from tracker.extensions import db
from tracker.models import MessageState, OutboxMessage, ReminderEvent, Role

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2024, 5, 8)  # a Wednesday, no holiday
JOB = (
    "import datetime, sys; from tracker import create_app; "
    "from tracker.reminders.jobs import daily_sweep; "
    "daily_sweep(create_app(), datetime.date.fromisoformat(sys.argv[1]))"
)


def test_two_scheduler_processes_send_each_reminder_once(app, database_url, make_user):
    src = f.source()
    for code in ("MOJ", "MOHA"):
        f.body(code)
    focal = {
        code: make_user(Role.FOCAL_POINT, email=f"fp@{code.lower()}.example", body_code=code)
        for code in ("MOJ", "MOHA")
    }
    for i in range(12):
        body = ("MOJ", "MOHA")[i % 2]
        days = 7 if i < 6 else -14  # due in a week, or overdue for two weeks
        rec = f.recommendation(
            src, f"R-{i:02d}", lead=body, deadline=(AS_OF + timedelta(days=days)).isoformat()
        )
        rec.lead.focal_points.append(focal[body])
    db.session.commit()
    with SmtpServer(delay=0.1) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAIL_")}
        env |= {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-only",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(server.port),
            "BASE_URL": "https://tracker.example",
        }
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", JOB, AS_OF.isoformat()],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        received = list(server.received.messages)
    # One digest per focal point, each delivered once, listing all of its body's items.
    assert sorted(rcpt for _, rcpts, _ in received for rcpt in rcpts) == [
        "fp@moha.example",
        "fp@moj.example",
    ]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ReminderEvent)) == 12
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 2 and {m.state for m in messages} == {MessageState.SENT}
    assert all(len(m.items) == 6 for m in messages)
    body = received[0][2].get_body(("plain",)).get_content()
    assert "https://tracker.example/recommendations/R-0" in body
