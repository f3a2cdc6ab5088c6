"""`flask --app tracker serve` (web + scheduler in one process, for make run) and
`flask --app tracker scheduler` (the scheduler alone, for production)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker.reminders.jobs import build_scheduler


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    """Serve the app with the reminder scheduler running in the same process."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    scheduler = build_scheduler(app)
    scheduler.start()
    click.echo(
        _(
            "Scheduler running: reminder sweep daily at %(hour)02d:00 %(zone)s, outbox every "
            "%(minutes)d minutes.",
            hour=int(app.config["REMINDER_HOUR"]),
            zone=app.config["BABEL_DEFAULT_TIMEZONE"],
            minutes=5,
        )
    )
    try:
        # No reloader: a reloader's parent process would run a second scheduler.
        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        scheduler.shutdown(wait=False)


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the reminder scheduler alone (production: one or more of these, beside the web)."""
    app = current_app._get_current_object()
    click.echo(_("Scheduler running; Ctrl+C to stop."))
    build_scheduler(app, blocking=True).start()
