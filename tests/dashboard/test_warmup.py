"""The warm-up job fills the dashboard's cache after a change, so that the next reader, in either
language, is served from it; it does nothing while the key has not moved, and never leaves an
older state of the data to be served."""

from __future__ import annotations

import re

from sqlalchemy import select

from config import DevelopmentConfig
from tests.conftest import login
from tracker import create_app
from tracker.dashboard.warmup import warm_dashboard
from tracker.extensions import db
from tracker.models import Recommendation, Status
from tracker.reminders.jobs import build_scheduler
from tracker.updates.services import add_update

STORE = "dashboard_cache"


def bodies(app) -> dict:
    """The rendered pages in the dashboard's cache, by key (language, filter, day, data)."""
    return {k: v for k, v in app.extensions.get(STORE, {}).items() if k[0].startswith("body:")}


def read_in_both_languages(app, client) -> None:
    """The secretariat reads the dashboard in English, the viewer in Lao."""
    viewer = app.test_client()
    login(viewer, "viewer@example.org")
    for reader in (client, viewer):
        assert reader.get("/dashboard").status_code == 200


def pending(client) -> int:
    page = client.get("/dashboard").get_data(as_text=True)
    return int(re.search(r'tile-pending"><a [^>]*><strong>(\d+)</strong>', page).group(1))


def test_after_a_warm_up_readers_in_both_languages_are_served_from_the_cache(
    app, client, synthetic
):
    app.extensions.pop(STORE, None)
    assert warm_dashboard(app) is not None
    warmed = set(app.extensions[STORE])
    assert {key[0] for key in bodies(app)} == {"body:en:", "body:lo:"}
    read_in_both_languages(app, client)
    assert set(app.extensions[STORE]) == warmed  # nothing computed: all came from the cache
    assert warm_dashboard(app) is None  # the key has not moved: nothing to do

    rendered = bodies(app)
    app.extensions.pop(STORE)
    read_in_both_languages(app, client)
    assert bodies(app) == rendered  # what readers compute themselves is what the job rendered


def test_a_change_moves_the_key_and_the_next_warm_up_holds_the_new_figures(app, client, synthetic):
    today = synthetic
    warm_dashboard(app)
    before = pending(client)
    rec = db.session.scalars(select(Recommendation).where(Recommendation.code == "R02")).one()
    add_update(rec, status=Status.IMPLEMENTED, reported_on=today)  # R02 had nothing waiting
    db.session.commit()
    assert warm_dashboard(app) is not None
    warmed = set(app.extensions[STORE])
    assert pending(client) == before + 1
    assert set(app.extensions[STORE]) == warmed


def test_the_serving_process_warms_every_minute_and_the_lone_scheduler_does_not(
    tmp_path, monkeypatch
):
    """The cache lives in the web process: `flask serve` warms it; `flask scheduler`, running
    beside a WSGI server, has no page to serve."""
    monkeypatch.setenv("SECRET_KEY", "x")
    served = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/t.db")
    jobs = {job.id: job for job in build_scheduler(served).get_jobs()}
    assert jobs["dashboard-warm-up"].trigger.interval.total_seconds() == 60
    assert jobs["dashboard-warm-up"].max_instances == 1
    alone = {job.id for job in build_scheduler(served, blocking=True).get_jobs()}
    assert "dashboard-warm-up" not in alone
