"""Report generation time on a synthetic UPR source (issue: follow-up reports): 2,000
recommendations in a cluster tree, with recommending States, lead and supporting bodies and a
few validated updates each. Times the mid-term report in every format and prints seconds
(targets: DOCX under 5 s, PDF under 15 s).

    .venv/bin/python bench/bench_reports.py                    # SQLite file
    .venv/bin/python bench/bench_reports.py --postgres URL     # a scratch database there
    options: --recs 2000 --updates-per-rec 3 --formats html,xlsx,docx,pdf --keep DIR
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from flask_migrate import upgrade  # noqa: E402
from synthetic import WORDS, _insert, scratch_postgres  # noqa: E402

from config import TestingConfig  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import (  # noqa: E402
    Assignment,
    AssignmentRole,
    Body,
    BodyKind,
    Cluster,
    Country,
    DeadlinePrecision,
    Position,
    Recommendation,
    ReviewState,
    Source,
    SourceKind,
    Status,
    StatusUpdate,
)
from tracker.models.recommendation import recommendation_state  # noqa: E402
from tracker.reports import render, services  # noqa: E402


def build(recs: int, per_rec: int, seed: int = 11) -> Source:
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    source = Source(code="UPR-BENCH", kind=SourceKind.UPR, title="Synthetic UPR source", cycle=3)
    db.session.add(source)
    leaves = []
    for t in range(8):
        top = Cluster(source=source, title=f"{chr(65 + t)}. Theme {t}", sort_order=t)
        db.session.add(top)
        for u in range(5):
            leaf = Cluster(source=source, title=f"Sub-theme {t}.{u}", parent=top, sort_order=u)
            db.session.add(leaf)
            leaves.append(leaf)
    db.session.flush()
    _insert(Body, [{"code": f"B{i:02d}", "name": f"Body {i}", "kind": BodyKind.MINISTRY.name}
                   for i in range(40)])  # fmt: skip
    _insert(Country, [{"name": f"State {i}", "name_lo": f"ປະເທດ {i}"} for i in range(90)])
    body_ids = list(db.session.scalars(text("SELECT id FROM body ORDER BY id")))
    country_ids = list(db.session.scalars(text("SELECT id FROM country ORDER BY id")))
    statuses = list(Status)
    _insert(
        Recommendation,
        [
            {
                "code": f"UPR-B-{i:05d}",
                "source_id": source.id,
                "cluster_id": rng.choice(leaves).id,
                "text": " ".join(rng.choices(WORDS, k=30)),
                "text_lo": " ".join(rng.choices(WORDS[-5:], k=8)) if i % 4 == 0 else None,
                "position": rng.choice([Position.SUPPORTED, Position.NOTED]).name,
                "location_paragraph": f"para. 115.{i}",
                "location_line": i,
                "published": True,
                "archived": False,
                "status": Status.NOT_STARTED.name,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for i in range(recs)
        ],
    )
    rec_ids = list(db.session.scalars(text("SELECT id FROM recommendation ORDER BY id")))
    links, assignments, updates = [], [], []
    for rid in rec_ids:
        for cid in rng.sample(country_ids, rng.randint(1, 3)):
            links.append({"recommendation_id": rid, "country_id": cid})
        lead, other = rng.sample(body_ids, 2)
        for body_id, role in ((lead, AssignmentRole.LEAD), (other, AssignmentRole.SUPPORTING)):
            assignments.append(
                {
                    "recommendation_id": rid,
                    "body_id": body_id,
                    "role": role.name,
                    "deadline_precision": DeadlinePrecision.UNKNOWN.name,
                }
            )
        for k in range(per_rec):
            day = date(2021, 1, 1) + timedelta(days=rng.randrange(3 * 365))
            updates.append(
                {
                    "recommendation_id": rid,
                    "reported_on": day,
                    "status": rng.choice(statuses).name,
                    "percent": rng.randrange(0, 101, 10),
                    "narrative": " ".join(rng.choices(WORDS, k=35)),
                    "created_at": now,
                    "review_state": ReviewState.VALIDATED.name,
                    "reviewed_at": datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                    + timedelta(days=k + 1),
                    "author_label": "bench",
                }
            )
    _insert(recommendation_state, links)
    _insert(Assignment, assignments)
    _insert(StatusUpdate, updates)
    db.session.commit()
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL; a scratch database tracker_bench_reports")
    parser.add_argument("--recs", type=int, default=2000)
    parser.add_argument("--updates-per-rec", type=int, default=3)
    parser.add_argument("--keep", help="a folder to write the generated files to")
    parser.add_argument("--formats", default="html,xlsx,docx,pdf", help="comma-separated")
    args = parser.parse_args()
    if args.postgres:
        url, label = scratch_postgres(args.postgres, "tracker_bench_reports"), "PostgreSQL"
    else:
        url, label = f"sqlite:///{tempfile.mkdtemp()}/bench.db", "SQLite"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    app.instance_path = tempfile.mkdtemp()
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    with app.app_context(), app.test_request_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        source = build(args.recs, args.updates_per_rec)
        print(f"{label}: {args.recs:,} recommendations, {args.updates_per_rec} updates each")
        now = datetime.now(UTC)
        start = time.perf_counter()
        report = services.make_report(
            "midterm", source, as_of=date(2023, 12, 31), now=now, may_see=lambda e: True
        )
        print(f"  data (as-of snapshot)   {time.perf_counter() - start:6.2f} s")
        for fmt in args.formats.split(","):
            start = time.perf_counter()
            data = render.render(report, fmt)
            print(f"  {fmt:<5} {len(data) / 1e6:7.2f} MB  {time.perf_counter() - start:6.2f} s")
            if args.keep:
                Path(args.keep, f"bench-midterm.{fmt}").write_bytes(data)


if __name__ == "__main__":
    main()
