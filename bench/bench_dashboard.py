"""Dashboard latency on synthetic data (issue: NSC dashboard and follow-up summaries). Builds the
data in a scratch database, then times GET /dashboard through the app (routing, queries,
template) against the raw SQL aggregates the page needs, and prints p50/p95 of both and their
ratio.

    .venv/bin/python bench/bench_dashboard.py                      # SQLite file
    .venv/bin/python bench/bench_dashboard.py --postgres URL       # scratch database there
    options: --recs 100000 --updates 1000000 --focal-points 500 --requests 100

The page's figures are kept per filter until the next audited change
(tracker/dashboard/cache.py): the timed requests are what readers get between changes. The
uncached costs are printed on their own lines: the trend's window over every validated update,
and a request that computes every figure (the first after a change).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_register import PASSWORD, login, percentile  # noqa: E402
from synthetic import scratch_app  # noqa: E402

from tracker.clock import local_today  # noqa: E402
from tracker.dashboard.trend import compute_trend  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import Role  # noqa: E402
from tracker.register.queries import RegisterFilter  # noqa: E402
from tracker.users.services import create_user  # noqa: E402

GOAL_MS = 150
OVERDUE = "r.due_date < :today AND r.status NOT IN ('IMPLEMENTED', 'NO_LONGER_RELEVANT')"
LATE = f"SUM(CASE WHEN {OVERDUE} THEN 1 ELSE 0 END)"


def raw_queries(where: str) -> list[str]:
    """The aggregates the page runs per request, as hand-written SQL on the same filter."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL; a scratch database tracker_bench_dash")
    parser.add_argument("--recs", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--focal-points", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--sql-runs", type=int, default=20, help="runs of the raw SQL (seconds each on SQLite)"
    )
    args = parser.parse_args()

    app, handles, label = scratch_app(args, "tracker_bench_dash")
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
    rows = []
    with app.test_request_context():
        today: date = local_today()
    for name, page_url, where, params in cases:
        page = time_pages(client, page_url, args.requests)
        with app.app_context():
            raw = time_raw(
                raw_queries(where), {"no": False, "today": today, **params}, args.sql_runs
            )
        rows.append((name, page, raw))
    with app.app_context():
        trend_times = []
        for _ in range(5):
            start = time.perf_counter()
            compute_trend(RegisterFilter(), today)
            trend_times.append((time.perf_counter() - start) * 1000)
    cold_client = app.test_client()
    login(cold_client, "sec@bench.example")
    app.extensions.pop("dashboard_cache", None)
    start = time.perf_counter()
    assert cold_client.get("/dashboard").status_code == 200
    cold = (time.perf_counter() - start) * 1000

    print(
        f"\n{label}: {args.requests} requests per page, {args.sql_runs} runs of the raw SQL, "
        f"milliseconds (goal: page p95 < {GOAL_MS} ms and <= 1.5 x the raw SQL's p95)"
    )
    print(f"{'':34} {'page p50':>9} {'page p95':>9} {'SQL p50':>8} {'SQL p95':>8} {'ratio':>6}")
    for name, page, raw in rows:
        p95, raw95 = percentile(page, 95), percentile(raw, 95)
        print(
            f"{name:34} {statistics.median(page):9.1f} {p95:9.1f} "
            f"{statistics.median(raw):8.1f} {raw95:8.1f} {p95 / raw95:6.2f}"
        )
    print(f"trend query, uncached (p50 of 5):  {statistics.median(trend_times):9.1f}")
    print(f"GET /dashboard with an empty cache (every figure computed): {cold:.1f}")


if __name__ == "__main__":
    main()
