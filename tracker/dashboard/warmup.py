"""Warming the dashboard after a change, so that readers do not wait for it.

The first request after any audited change recomputes the page (a second or more at 100,000
items). The scheduler of the serving process (`flask serve`, tracker/reminders/jobs.py) calls
`warm_dashboard` every minute: when the cache key has moved (a new audit event, or a new day),
it computes the unfiltered page in each language, as a request would, into the same cache. It
only fills the entry of the current key: a reader never gets figures older than the data, and a
change since the last run still costs its first reader until the job has run."""

from __future__ import annotations

import logging
import time

from flask import Flask, request
from flask_babel import force_locale

from tracker.clock import local_today
from tracker.dashboard.cache import history_stamp
from tracker.dashboard.page import page_body
from tracker.dashboard.queries import dashboard_filter
from tracker.extensions import db

log = logging.getLogger(__name__)
WARMED = "dashboard_warmed"  # the key last warmed, in app.extensions


def warm_dashboard(app: Flask) -> float | None:
    """Compute the unfiltered dashboard in every language unless the key is the one last
    warmed; returns how long it took (seconds), or None when there was nothing to do."""
    with app.app_context():
        try:
            key = (local_today(), history_stamp())
            if app.extensions.get(WARMED) == key:
                return None
            start = time.perf_counter()
            # BASE_URL gives the path the app is served under, which its links start with.
            with app.test_request_context("/dashboard", base_url=app.config["BASE_URL"]):
                for language in app.config["LANGUAGES"]:
                    with force_locale(language):
                        page_body(dashboard_filter(request.args), key[0])
            app.extensions[WARMED] = key
            elapsed = time.perf_counter() - start
            log.info("dashboard warmed in %.1f s", elapsed)
            return elapsed
        except Exception:  # logged, and tried again at the next run
            db.session.rollback()
            log.exception("dashboard warm-up failed")
            raise
