"""Synthetic data at the sizes the issues name, written with bulk inserts (COPY-free, portable):
recommendations with lead and supporting assignments, a long update history, focal points."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from tracker.extensions import db
from tracker.models import (
    Assignment,
    AssignmentRole,
    Body,
    BodyKind,
    Cluster,
    DeadlinePrecision,
    Position,
    Recommendation,
    ReviewState,
    Role,
    Source,
    SourceKind,
    Status,
    StatusUpdate,
    User,
)
from tracker.models.body import assignment_focal_point

WORDS = [
    "strengthen",
    "implement",
    "ensure",
    "adopt",
    "review",
    "promote",
    "protect",
    "access",
    "justice",
    "education",
    "health",
    "women",
    "children",
    "disabilities",
    "rural",
    "ethnic",
    "budget",
    "plan",
    "law",
    "decree",
    "training",
    "capacity",
    "data",
    "monitoring",
    "report",
    "national",
    "provincial",
    "district",
    "village",
    "ສິດທິ",
    "ການສຶກສາ",
    "ແມ່ຍິງ",
    "ເດັກນ້ອຍ",
    "ກົດໝາຍ",
]
CHUNK = 20_000


def scratch_postgres(url: str, name: str) -> str:
    """A fresh database `name` on the server at url (dropped first if it exists)."""
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _chunks(rows, size=CHUNK):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _insert(model_or_table, rows) -> None:
    target = getattr(model_or_table, "__table__", model_or_table)
    for chunk in _chunks(rows):
        db.session.execute(insert(target), chunk)


def build(recs: int, updates: int, focal_points: int, bodies: int = 100, seed: int = 7) -> dict:
    """Fill an empty schema; returns handles the benchmarks need."""
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    sources = [
        Source(code=f"SRC-{k.name}", kind=k, title=f"Synthetic {k.name} source", cycle=3)
        for k in SourceKind
    ]
    db.session.add_all(sources)
    db.session.flush()
    clusters = []
    for s in sources:
        for t in range(8):
            top = Cluster(source=s, title=f"Theme {t}", sort_order=t)
            db.session.add(top)
            clusters += [
                Cluster(source=s, title=f"Sub-theme {t}.{u}", parent=top, sort_order=u)
                for u in range(5)
            ]
    db.session.add_all(clusters)
    _insert(
        Body,
        [
            {"code": f"B{i:03d}", "name": f"Body {i}", "kind": BodyKind.MINISTRY.name}
            for i in range(bodies)
        ],
    )
    db.session.flush()
    cluster_ids = [c.id for c in clusters]
    cluster_source = {c.id: c.source_id for c in clusters}
    body_ids = [r[0] for r in db.session.execute(text("SELECT id FROM body ORDER BY id"))]
    _insert(
        User,
        [
            {
                "email": f"fp{i}@bench.example",
                "name": f"Focal point {i}",
                "password_hash": "x",
                "role": Role.FOCAL_POINT.name,
                "body_id": body_ids[i % bodies],
                "language": "en",
                "active": True,
                "reminders_paused": False,
                "must_change_password": False,
                "created_at": now,
            }
            for i in range(focal_points)
        ],
    )
    statuses = list(Status)
    rec_rows = []
    dues = [date(2023, 1, 1) + timedelta(days=rng.randrange(5 * 365)) for _ in range(recs)]
    for i in range(recs):
        cid = rng.choice(cluster_ids)
        rec_rows.append(
            {
                "due_date": dues[i],
                "code": f"R{i:06d}",
                "source_id": cluster_source[cid],
                "cluster_id": cid,
                "text": " ".join(rng.choices(WORDS, k=18)),
                "position": Position.SUPPORTED.name,
                "published": True,
                "archived": False,
                "status": rng.choice(statuses).name,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    _insert(Recommendation, rec_rows)
    rec_ids = [r[0] for r in db.session.execute(text("SELECT id FROM recommendation ORDER BY id"))]
    assignment_rows = []
    for rid, due in zip(rec_ids, dues, strict=True):
        lead = rng.choice(body_ids)
        assignment_rows.append(
            {
                "recommendation_id": rid,
                "body_id": lead,
                "role": AssignmentRole.LEAD.name,
                "deadline": due,
                "deadline_precision": DeadlinePrecision.QUARTER.name,
                "deadline_text": "synthetic",
            }
        )
        if rng.random() < 0.3:
            other = rng.choice([b for b in body_ids[:10] if b != lead])
            assignment_rows.append(
                {
                    "recommendation_id": rid,
                    "body_id": other,
                    "role": AssignmentRole.SUPPORTING.name,
                    "deadline": due,
                    "deadline_precision": DeadlinePrecision.QUARTER.name,
                    "deadline_text": "synthetic",
                }
            )
    _insert(Assignment, assignment_rows)
    update_rows = []
    states = [ReviewState.VALIDATED.name] * 8 + [
        ReviewState.SUBMITTED.name,
        ReviewState.RETURNED.name,
    ]
    for n in range(updates):
        rid = rec_ids[n % len(rec_ids)]
        update_rows.append(
            {
                "recommendation_id": rid,
                "reported_on": date(2022, 1, 1) + timedelta(days=rng.randrange(4 * 365)),
                "status": rng.choice(statuses).name,
                "percent": rng.randrange(0, 101, 5),
                "narrative": " ".join(rng.choices(WORDS, k=25)),
                "created_at": now,
                "review_state": rng.choice(states),
                "author_label": "bench",
            }
        )
        if len(update_rows) >= CHUNK:
            _insert(StatusUpdate, update_rows)
            update_rows = []
    _insert(StatusUpdate, update_rows)
    # Focal points answer for their body's lead assignments (a sample, to keep it quick).
    db.session.commit()
    pairs = db.session.execute(
        text(
            "SELECT a.id, u.id FROM assignment a JOIN user_account u ON u.body_id = a.body_id "
            "WHERE a.id % 10 = 0"
        )
    ).all()
    _insert(assignment_focal_point, [{"assignment_id": a, "user_id": u} for a, u in pairs])
    db.session.commit()
    return {
        "body_codes": [f"B{i:03d}" for i in range(bodies)],
        "rec_codes": [f"R{i:06d}" for i in range(recs)],
    }


def refresh_statistics() -> None:
    """What autovacuum does on a live server: the planner's statistics and, on PostgreSQL, the
    visibility map that index-only scans need."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))


def scratch_app(args, name: str):
    """The app on a scratch database (PostgreSQL when `args.postgres` names a server, else a
    new SQLite file) built by the migrations, filled by `build` and with fresh statistics.
    Returns the app, the handles of `build` and the backend's label."""
    import tempfile
    import time
    from pathlib import Path

    from flask_migrate import upgrade

    from config import TestingConfig
    from tracker import create_app

    if args.postgres:
        url, label = scratch_postgres(args.postgres, name), "PostgreSQL"
    else:
        url, label = f"sqlite:///{tempfile.mkdtemp()}/{name}.db", "SQLite"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        start = time.perf_counter()
        handles = build(args.recs, args.updates, args.focal_points)
        refresh_statistics()
        print(
            f"{label}: built {args.recs:,} recommendations, {args.updates:,} updates, "
            f"{args.focal_points} focal points in {time.perf_counter() - start:.0f} s"
        )
    return app, handles, label
