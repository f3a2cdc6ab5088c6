"""Migrations build the whole schema from an empty database, and the models have not drifted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.conftest import _backends, postgres_url
from tracker.models.base import Base

ROOT = Path(__file__).resolve().parent.parent
# One scratch database per test process (pytest-xdist workers run side by side).
SCRATCH_DB = "tracker_migration_check_" + os.environ.get("PYTEST_XDIST_WORKER", "main")


def flask(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-only"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "tracker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def empty_database(request, tmp_path):
    """A brand-new empty database: a SQLite file, or a scratch PostgreSQL database (never the
    one the other tests are using)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DB}"))
        conn.execute(text(f"CREATE DATABASE {SCRATCH_DB}"))
    yield make_url(postgres_url()).set(database=SCRATCH_DB).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.parametrize("empty_database", _backends(), indirect=True)
def test_upgrade_builds_every_table_and_check_finds_no_drift(empty_database):
    upgrade = flask(empty_database, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    engine = create_engine(empty_database)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()
    check = flask(empty_database, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
