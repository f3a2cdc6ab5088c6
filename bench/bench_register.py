"""Register, recommendation page and workspace latency on synthetic data (issue: register and
workflow). Builds the data in a scratch database, then times real requests through the app
(routing, queries, templates) and prints p50/p95 per page.

    .venv/bin/python bench/bench_register.py                      # SQLite file
    .venv/bin/python bench/bench_register.py --postgres URL       # a scratch database there
    options: --recs 100000 --updates 1000000 --focal-points 500 --requests 100
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import scratch_app  # noqa: E402

from tracker.extensions import db  # noqa: E402
from tracker.models import Role, User  # noqa: E402
from tracker.users.services import create_user  # noqa: E402

PASSWORD = "bench-password-1"


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(client, urls: list[str], n: int) -> dict[str, list[float]]:
    """Milliseconds per request, by URL."""
    for url in urls[:3]:
        assert client.get(url).status_code == 200, url  # warm up, and fail loudly
    times: dict[str, list[float]] = {}
    for i in range(n):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        times.setdefault(url, []).append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def login(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL; a scratch database tracker_bench is made")
    parser.add_argument("--recs", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--focal-points", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    app, handles, label = scratch_app(args, "tracker_bench")
    with app.app_context():
        create_user(
            email="sec@bench.example", name="Secretariat", role=Role.SECRETARIAT, password=PASSWORD
        )
        focal = db.session.get(User, 1)
        focal.set_password(PASSWORD)
        db.session.commit()
        focal_email = focal.email

    rng = random.Random(1)
    body = handles["body_codes"][7]
    register_urls = [
        f"/?body={body}&status=in_progress&page=2",
        "/?source=SRC-UPR&page=3",
        "/?q=justice&page=5",  # a word in about 40% of the synthetic texts
        "/?q=R01234",  # a selective search (ten codes)
        "/?overdue=1&sort=deadline&page=2",
        f"/?body={body}&role=lead&sort=-deadline",
        "/?status=implemented&due_from=2025-01-01&due_to=2025-12-31",
    ]
    detail_urls = [f"/recommendations/{rng.choice(handles['rec_codes'])}" for _ in range(50)]
    results = {}
    client = app.test_client()
    login(client, "sec@bench.example")
    results["register list (filtered, paginated)"] = timed(client, register_urls, args.requests)
    results["recommendation page"] = timed(client, detail_urls, args.requests)
    focal_client = app.test_client()
    login(focal_client, focal_email)
    results["workspace (My assignments)"] = timed(
        focal_client, ["/my", "/my?page=2", "/my?page=5"], args.requests
    )

    print(f"\n{label}: {args.requests} requests per page, milliseconds (goal: p95 < 100 ms)")
    print(f"{'page':40} {'p50':>8} {'p95':>8} {'p95/goal':>9}")
    for name, by_url in results.items():
        times = [t for ts in by_url.values() for t in ts]
        p50, p95 = statistics.median(times), percentile(times, 95)
        print(f"{name:40} {p50:8.1f} {p95:8.1f} {p95 / 100:9.2f}")
        if name.startswith("register"):
            for url, ts in by_url.items():
                print(f"  {url:38} {statistics.median(ts):8.1f} {percentile(ts, 95):8.1f}")


if __name__ == "__main__":
    main()
