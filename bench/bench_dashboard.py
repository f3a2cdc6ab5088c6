"""Dashboard latency on synthetic data (issue: NSC dashboard and follow-up summaries). Builds the
data in a scratch database, then times GET /dashboard through the app (routing, queries,
template) against the raw SQL aggregates the page needs, and prints p50/p95 of both and their
ratio.

    .venv/bin/python bench/bench_dashboard.py                      # SQLite file
    .venv/bin/python bench/bench_dashboard.py --postgres URL       # scratch database there
    options: --recs 100000 --updates 1000000 --focal-points 500 --requests 100 --cold-runs 5
             --scratch-db NAME (PostgreSQL: the scratch database, dropped and rebuilt)

The page is kept per filter until the next audited change (tracker/dashboard/cache.py), and the
scheduler of the serving process warms the unfiltered page after each change
(tracker/dashboard/warmup.py). Printed, per page: warm requests (what readers get between
changes) and cold ones (the first request after a change: a validation, committed just before),
against the raw SQL a cold page needs; then the trend's own costs and the warm-up job's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_register import PASSWORD, login, percentile  # noqa: E402
from synthetic import scratch_app  # noqa: E402

from tracker.clock import local_today  # noqa: E402
from tracker.dashboard.trend import STORE as STEPS  # noqa: E402
from tracker.dashboard.trend import compute_trend  # noqa: E402
from tracker.dashboard.warmup import warm_dashboard  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import ReviewState, Role, StatusUpdate, User  # noqa: E402
from tracker.models.base import utcnow  # noqa: E402
from tracker.register.queries import RegisterFilter  # noqa: E402
from tracker.updates.services import validate_update  # noqa: E402
from tracker.users.services import create_user  # noqa: E402

GOAL_MS = 150
OVERDUE = "r.due_date < :today AND r.status NOT IN ('IMPLEMENTED', 'NO_LONGER_RELEVANT')"
LATE = f"SUM(CASE WHEN {OVERDUE} THEN 1 ELSE 0 END)"


def raw_queries(where: str) -> list[str]:
    """The aggregates a cold page runs, as hand-written SQL on the same filter (the trend needs
    only its items: their steps are kept, tracker/dashboard/trend.py)."""
    live = f"r.archived = :no{where}"
    return [
        f"SELECT r.status, COUNT(*), {LATE} FROM recommendation r WHERE {live} GROUP BY r.status",
        f"SELECT COUNT(*) FROM recommendation r WHERE {live} AND EXISTS (SELECT 1 FROM assignment"
        " a WHERE a.recommendation_id = r.id AND a.deadline IS NULL AND a.recurrence IS NULL)",
        f"SELECT COUNT(*) FROM recommendation r WHERE {live} AND EXISTS (SELECT 1 FROM"
        " status_update u WHERE u.recommendation_id = r.id AND u.review_state = 'SUBMITTED')",
        f"SELECT r.source_id, r.status, COUNT(*), {LATE} FROM recommendation r WHERE {live}"
        " GROUP BY r.source_id, r.status",
        f"SELECT r.cluster_id, r.status, COUNT(*), {LATE} FROM recommendation r WHERE {live}"
        " GROUP BY r.cluster_id, r.status",
        f"SELECT a.body_id, r.status, COUNT(*), {LATE} FROM recommendation r JOIN assignment a"
        f" ON a.recommendation_id = r.id AND a.role = 'LEAD' WHERE {live}"
        " GROUP BY a.body_id, r.status",
        "SELECT t.goal_id, r.status, COUNT(DISTINCT r.id),"
        f" COUNT(DISTINCT CASE WHEN {OVERDUE} THEN r.id END) FROM recommendation r"
        " JOIN recommendation_sdg_target rt ON rt.recommendation_id = r.id"
        f" JOIN sdg_target t ON t.id = rt.sdg_target_id WHERE {live} GROUP BY t.goal_id, r.status",
        f"SELECT rs.country_id, r.status, COUNT(*), {LATE} FROM recommendation r"
        " JOIN recommendation_state rs ON rs.recommendation_id = r.id"
        f" WHERE {live} GROUP BY rs.country_id, r.status",
        f"SELECT r.id FROM recommendation r WHERE {live}",  # the trend's items
    ]


def time_raw(statements: list[str], params: dict, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        for statement in statements:
            db.session.execute(text(statement), params).all()
        times.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    return times


def time_pages(client, url: str, n: int) -> list[float]:
    assert client.get(url).status_code == 200, url  # warm up (and fill the trend cache)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def validate_one(app) -> None:
    """A change that moves every number's key and the trend: the oldest waiting update validated."""
    with app.app_context():
        update = db.session.scalars(
            select(StatusUpdate)
            .where(StatusUpdate.review_state == ReviewState.SUBMITTED)
            .order_by(StatusUpdate.id)
            .limit(1)
        ).one()
        sec = db.session.scalars(select(User).where(User.email == "sec@bench.example")).one()
        validate_update(update, sec, at=utcnow())
        db.session.commit()


def time_cold(app, client, url: str) -> float:
    """The first request for url after a change."""
    validate_one(app)
    start = time.perf_counter()
    assert client.get(url).status_code == 200, url
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL; a scratch database --scratch-db there")
    parser.add_argument(
        "--scratch-db", default="tracker_bench_dash", help="PostgreSQL: dropped and rebuilt"
    )
    parser.add_argument("--recs", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--focal-points", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument(
        "--sql-runs", type=int, default=20, help="runs of the raw SQL (seconds each on SQLite)"
    )
    args = parser.parse_args()

    app, handles, label = scratch_app(args, args.scratch_db)
    with app.app_context():
        create_user(
            email="sec@bench.example", name="Secretariat", role=Role.SECRETARIAT, password=PASSWORD
        )
        db.session.commit()

    body = handles["body_codes"][7]
    cases = [
        ("GET /dashboard", "/dashboard", "", {}),
        (
            "GET /dashboard?source=SRC-UPR",
            "/dashboard?source=SRC-UPR",
            " AND r.source_id = (SELECT id FROM source WHERE code = :source)",
            {"source": "SRC-UPR"},
        ),
        (
            f"GET /dashboard?body={body}",
            f"/dashboard?body={body}",
            " AND r.id IN (SELECT "
            "a2.recommendation_id FROM assignment a2 JOIN body b ON b.id = a2.body_id WHERE "
            "b.code = :body)",
            {"body": body},
        ),
    ]
    client = app.test_client()
    login(client, "sec@bench.example")
    with app.test_request_context():
        today: date = local_today()
    start = time.perf_counter()
    assert client.get("/dashboard").status_code == 200
    first = (time.perf_counter() - start) * 1000  # the trend's steps are read in full here
    rows = []
    for name, page_url, where, params in cases:
        warm = time_pages(client, page_url, args.requests)
        cold = [time_cold(app, client, page_url) for _ in range(args.cold_runs)]
        with app.app_context():
            raw = time_raw(
                raw_queries(where), {"no": False, "today": today, **params}, args.sql_runs
            )
        rows.append((name, warm, cold, raw))
    warm_ups, after = [], []
    for _ in range(args.cold_runs):
        validate_one(app)
        start = time.perf_counter()
        assert warm_dashboard(app) is not None
        warm_ups.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert client.get("/dashboard").status_code == 200
        after.append((time.perf_counter() - start) * 1000)
    kept, full = [], []
    for times, runs in ((kept, 5), (full, 3)):
        for _ in range(runs):
            validate_one(app)
            if times is full:
                app.extensions.pop(STEPS)
            with app.app_context():
                start = time.perf_counter()
                compute_trend(RegisterFilter(), today)
                times.append((time.perf_counter() - start) * 1000)

    print(
        f"\n{label}: {args.requests} warm and {args.cold_runs} cold requests per page, "
        f"{args.sql_runs} runs of the raw SQL, milliseconds (goal: page p95 < {GOAL_MS} ms and "
        "<= 1.5 x the raw SQL's p95)"
    )
    print(
        f"{'':30} {'warm p50':>8} {'warm p95':>8} {'cold p50':>8} {'cold p95':>8} "
        f"{'SQL p50':>8} {'SQL p95':>8} {'warm/SQL':>8} {'cold/SQL':>8}"
    )
    for name, warm, cold, raw in rows:
        raw95 = percentile(raw, 95)
        print(
            f"{name:30} {statistics.median(warm):8.1f} {percentile(warm, 95):8.1f} "
            f"{statistics.median(cold):8.1f} {percentile(cold, 95):8.1f} "
            f"{statistics.median(raw):8.1f} {raw95:8.1f} "
            f"{percentile(warm, 95) / raw95:8.2f} {percentile(cold, 95) / raw95:8.2f}"
        )
    for what, times in (
        ("first GET /dashboard after start (trend steps read in full)", [first]),
        ("trend after a validation, steps caught up", kept),
        ("trend, steps read in full (once a day, or at start)", full),
        ("warm-up job after a validation (both languages)", warm_ups),
        ("GET /dashboard after the warm-up", after),
    ):
        print(f"{what:62} p50 {statistics.median(times):8.1f}  max {max(times):8.1f}")


if __name__ == "__main__":
    main()
