"""Test fixtures: an app per database backend (a real SQLite file, and the PostgreSQL server named
by TEST_POSTGRES_URL), a clean database for every test, a client that signs in, the CLI runner."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from tracker import create_app
from tracker.extensions import db
from tracker.models import Role
from tracker.models.base import Base
from tracker.users.services import create_user

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-42"
# CLI commands speak the operator's language (tracker/i18n.py): the tests read them in English
# whatever the machine's locale; tests of that choice set the environment themselves.
os.environ["TRACKER_LANGUAGE"] = "en"


def _backends() -> list:
    backends = ["sqlite"]
    if os.environ.get("TEST_POSTGRES_URL"):
        backends.append(pytest.param("postgres", marks=pytest.mark.postgres))
    return backends


def postgres_url() -> str:
    """The PostgreSQL database of this test process. Under pytest-xdist each worker gets a
    database of its own beside the named one (`test_gw0`, ...), created on first use."""
    url = make_url(
        re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", os.environ["TEST_POSTGRES_URL"])
    )
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url.render_as_string(hide_password=False)
    own = url.set(database=f"{url.database}_{worker}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own.database}
        )
        if not found:
            conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    admin.dispose()
    return own.render_as_string(hide_password=False)


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only (concurrency that SQLite serialises) run on PostgreSQL only:
    their SQLite variants are deselected, not skipped."""
    keep, drop = [], []
    for item in items:
        on_sqlite = "[sqlite" in item.nodeid
        (drop if on_sqlite and item.get_closest_marker("postgres_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", params=_backends())
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.db'}"
    url = postgres_url()
    reset_postgres(url)
    return url


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        SEED_DOCUMENTS_DIR=str(ROOT.parent / "shared" / "seed-documents"),
        EVIDENCE_DIR=str(tmp_path_factory.mktemp("evidence")),
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(_app):
    """The app inside an app context, with every table emptied after the test."""
    with _app.app_context():
        yield _app
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own database session,
    `g`, signed-in user and locale. The test's own session commits first (so the request sees
    the test's data) and reloads what it holds afterwards."""

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD):
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
    )


@pytest.fixture
def make_user(app):
    def make(
        role: Role = Role.VIEWER, email: str | None = None, body_code: str | None = None, **kwargs
    ):
        user = create_user(
            email=email or f"{role.value}.{body_code or 'x'}@example.org".lower(),
            name=kwargs.pop("name", f"Test {role.value}"),
            role=role,
            password=PASSWORD,
            body_code=body_code,
            **kwargs,
        )
        db.session.commit()
        return user

    return make
