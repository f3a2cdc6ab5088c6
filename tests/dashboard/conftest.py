"""Dashboard fixtures: a small synthetic register built with the factories (every status, past,
future and missing deadlines, a cluster tree, SDG goals, recommending States, an archived item,
updates waiting for validation, a dated history), and the seed data."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from config import TestingConfig
from tests import factories as f
from tests.conftest import login
from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import Cluster, Role, Status
from tracker.register.services import countries_named
from tracker.seeding.loader import load_seeds
from tracker.updates.services import add_update

STATUSES = list(Status)


@pytest.fixture
def synthetic(app, make_user, client):
    """About forty items over two sources; returns today."""
    rng = random.Random(11)
    today = local_today()
    sec = make_user(Role.SECRETARIAT, email="sec@example.org")
    make_user(Role.VIEWER, email="viewer@example.org", language="lo")
    upr = f.source("UPR-3", cycle=3)
    rtim = f.source("RTIM-2023", kind=f.SourceKind.RTIM, year=2023)
    bodies = ("MOJ", "MOHA", "LWU", "MOFA")
    for code in bodies:
        f.body(code)
    rights = Cluster(source=upr, title="Civil rights", title_lo="ສິດພົນລະເມືອງ", sort_order=1)
    justice = Cluster(source=upr, title="Justice", parent=rights, sort_order=1)
    courts = Cluster(source=upr, title="Courts", parent=justice, sort_order=1)
    health = Cluster(source=upr, title="Health", sort_order=2)
    uxo = Cluster(source=rtim, title="UXO clearance", sort_order=1)
    db.session.add_all([rights, justice, courts, health, uxo])
    db.session.flush()
    targets = [f.sdg_target("16.3"), f.sdg_target("16.10", "Access to information")]
    targets += [f.sdg_target("5.5", "Women's leadership"), f.sdg_target("18.1", "Lives safe")]
    states = countries_named(["France", "Japan", "Viet Nam", "ປະເທດລາວ"])
    deadlines = [(today + timedelta(days=d)).isoformat() for d in (-400, -90, -10, 0, 15, 200)] + [
        "quarter 4/year?",
        None,
    ]
    clusters = [rights, justice, courts, health, None]
    for i in range(40):
        src = upr if i % 3 else rtim
        cluster = rng.choice(clusters if src is upr else [uxo, None])
        lead = rng.choice(bodies + (None,))
        supporting = tuple(b for b in rng.sample(bodies, 2) if b != lead) if i % 4 == 0 else ()
        rec = f.recommendation(
            src,
            f"R{i:02d}",
            lead=lead,
            supporting=supporting if lead else (),
            deadline=rng.choice(deadlines),
            cluster=cluster,
            text=f"Recommendation {i} ພາສາລາວ",
        )
        rec.sdg_targets = rng.sample(targets, rng.randrange(0, 3))
        if src is upr:
            rec.states = rng.sample(states, rng.randrange(0, 3))
        history = sorted(rng.sample(range(1, 700), rng.randrange(0, 4)), reverse=True)
        for days_ago in history:
            add_update(
                rec,
                status=rng.choice(STATUSES),
                reported_on=today - timedelta(days=days_ago),
                validated_by=sec,
            )
        if i % 5 == 0:
            add_update(rec, status=Status.IMPLEMENTED, reported_on=today)  # waiting
        if i == 7:
            rec.archived = True
    db.session.commit()
    login(client, "sec@example.org")
    return today


@pytest.fixture
def seeded(app, make_user, client):
    load_seeds(Path(TestingConfig.SEED_DIR))
    make_user(Role.VIEWER, email="viewer@example.org")
    db.session.commit()
    login(client, "viewer@example.org")
    return local_today()


def register_total(client, url: str) -> int:
    """How many items the register says a link lists (it prints its total)."""
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'<p class="muted">([\d,]+) recommendations?', page)
    assert match, f"no total on {url}"
    return int(match.group(1).replace(",", ""))


def month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)
