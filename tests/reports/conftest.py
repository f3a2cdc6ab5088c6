"""Report fixtures: the seed data (the five source documents), and a small UPR source built
with factories whose history the tests control to the minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import factories as f
from tracker.extensions import db
from tracker.models import Position, Recommendation, Role, Source, Status
from tracker.register.services import cluster_by_path, set_links
from tracker.seeding.loader import load_seeds
from tracker.updates.services import add_update

ROOT = Path(__file__).resolve().parents[2]
LAO_TEXT = "ເສີມສ້າງຄວາມເຂັ້ມແຂງ ຂອງ ກົນໄກ ສິດທິມະນຸດ"  # "strengthen the human rights mechanism"


def at(day: str, hour: int = 5) -> datetime:
    """A UTC time on a day (05:00 UTC is 12:00 in Vientiane)."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC).replace(
        hour=hour
    )


@pytest.fixture
def seeded(app):
    load_seeds(ROOT / "seeds")
    db.session.commit()


def source(code: str) -> Source:
    return db.session.scalar(select(Source).where(Source.code == code))


@dataclass
class SmallUpr:
    source: Source
    health: Recommendation  # validated in progress (2024-01-10), then implemented (2024-06-01)
    justice: Recommendation  # one update, submitted, never reviewed


@pytest.fixture
def small_upr(app, make_user) -> SmallUpr:
    """Two clusters, two recommendations, a history with known dates."""
    reviewer = make_user(Role.SECRETARIAT, email="sec@example.org")
    src = f.source("UPR-T", cycle=3, session="Working Group 35th session")
    f.body("MOH", name="Ministry of Health", acronym="MoH")
    f.body("MOJ", name="Ministry of Justice", acronym="MoJ")
    health_cluster = cluster_by_path(src, ["C. Economic rights", "Right to health"])
    health_cluster.title_lo = "ສິດດ້ານສຸຂະພາບ"
    health = f.recommendation(
        src,
        "UPR-T-01",
        lead="MOH",
        supporting=("MOJ",),
        cluster=health_cluster,
        text="Improve access to health care in rural areas.",
        text_lo=LAO_TEXT,
        position=Position.SUPPORTED,
        location_paragraph="para. 115.1",
    )
    set_links(health, states=["Thailand", "Viet Nam"])
    justice = f.recommendation(
        src,
        "UPR-T-02",
        lead="MOJ",
        cluster=cluster_by_path(src, ["B. Civil rights", "Justice"]),
        text="Strengthen legal aid.",
        position=Position.NOTED,
    )
    lead = health.assignments[0]
    add_update(
        health,
        status=Status.IN_PROGRESS,
        percent=40,
        reported_on=date(2024, 1, 10),
        narrative="Rural clinics opened in two provinces.",
        assignment=lead,
        validated_by=reviewer,
        validated_at=at("2024-01-15"),
    )
    add_update(
        health,
        status=Status.IMPLEMENTED,
        percent=100,
        reported_on=date(2024, 6, 1),
        narrative="ຄລີນິກ opened in every province.",
        assignment=lead,
        validated_by=reviewer,
        validated_at=at("2024-06-20"),
    )
    pending = add_update(
        justice,
        status=Status.IN_PROGRESS,
        reported_on=date(2024, 2, 1),
        narrative="Legal aid decree drafted.",
        assignment=justice.assignments[0],
    )
    pending.created_at = at("2024-02-02")
    db.session.commit()
    return SmallUpr(src, health, justice)
