"""Reminder sweep time on synthetic data (issue: reminders; goal under 3 s): 100,000
recommendations (about 130,000 assignments, each with a focal point of its body), 500 focal
points, 1,000,000 updates, a head contact for every body, three secretariat accounts.

    .venv/bin/python bench/bench_reminders.py                      # SQLite file
    .venv/bin/python bench/bench_reminders.py --sqlite FILE        # keep it; reuse it next time
    .venv/bin/python bench/bench_reminders.py --postgres URL       # a scratch database there
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import build, refresh_statistics, scratch_postgres  # noqa: E402

from config import TestingConfig  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import (  # noqa: E402
    Assignment,
    OutboxMessage,
    ReminderEvent,
    Role,
    User,
    assignment_focal_point,
)
from tracker.reminders.sweep import sweep  # noqa: E402


def build_data(args) -> None:
    db.create_all()
    start = time.perf_counter()
    build(args.recs, args.updates, args.focal_points)
    # Every assignment gets a focal point of its body (the synthetic data attaches a tenth).
    db.session.execute(text("DELETE FROM assignment_focal_point"))
    users: dict[int, list[int]] = {}
    for user_id, body_id in db.session.execute(select(User.id, User.body_id).order_by(User.id)):
        users.setdefault(body_id, []).append(user_id)
    # With fewer focal points than bodies, some bodies have none: their assignments stay without.
    pairs = [
        {"assignment_id": a, "user_id": users[b][a % len(users[b])]}
        for a, b in db.session.execute(select(Assignment.id, Assignment.body_id))
        if b in users
    ]
    db.session.execute(insert(assignment_focal_point), pairs)
    db.session.add_all(
        User(email=f"sec{i}@bench.example", name="Sec", password_hash="x", role=Role.SECRETARIAT)
        for i in range(3)
    )
    db.session.execute(text("UPDATE body SET head_email = 'head.' || code || '@bench.example'"))
    db.session.commit()
    refresh_statistics()
    print(
        f"built {args.recs:,} recommendations "
        f"({db.session.scalar(select(func.count()).select_from(Assignment)):,} assignments), "
        f"{args.updates:,} updates in {time.perf_counter() - start:.0f} s"
    )


def timed_sweeps(args, label: str) -> None:
    as_of = date.fromisoformat(args.as_of)
    for run, dry in (("dry run", True), ("first run", False), ("second run", False)):
        db.session.remove()
        profile = cProfile.Profile() if args.profile and run == "first run" else None
        start = time.perf_counter()
        if profile:
            profile.enable()
        report = sweep(as_of, dry_run=dry, base_url="https://tracker.example")
        db.session.commit()
        took = time.perf_counter() - start
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        print(f"{label} {run:11} {took:6.2f} s  {report}")
    outbox = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    events = db.session.scalar(select(func.count()).select_from(ReminderEvent))
    print(f"outbox: {outbox} digests, {events} events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL; a scratch database is made there")
    parser.add_argument(
        "--database", default="tracker_bench_reminders", help="the scratch database's name"
    )
    parser.add_argument("--sqlite", help="SQLite file to keep (built once, then reused)")
    parser.add_argument("--recs", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--focal-points", type=int, default=500)
    parser.add_argument("--as-of", default="2025-06-02", help="the day to sweep (a Monday)")
    parser.add_argument("--profile", help="write a cProfile of the first run to this file")
    args = parser.parse_args()
    reuse = bool(args.sqlite) and Path(args.sqlite).exists()
    if args.postgres:
        url, label = scratch_postgres(args.postgres, args.database), "PostgreSQL"
    else:
        path = args.sqlite or Path(tempfile.mkdtemp()) / "bench.db"
        url, label = f"sqlite:///{path}", "SQLite"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if reuse:
            db.session.execute(text("DELETE FROM reminder_event"))
            db.session.execute(text("DELETE FROM outbox_message"))
            db.session.commit()
        else:
            build_data(args)
        timed_sweeps(args, label)


if __name__ == "__main__":
    main()
