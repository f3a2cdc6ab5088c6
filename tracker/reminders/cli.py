"""`flask --app tracker reminders run [--as-of YYYY-MM-DD] [--dry-run]`: the daily sweep by hand."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.audit import acting_as
from tracker.clock import local_today
from tracker.extensions import db
from tracker.reminders.digest import SECTIONS
from tracker.reminders.sweep import sweep

SECTION_LABELS = {
    "overdue": "overdue",
    "due_soon": "due soon",
    "waiting": "waiting",
    "needs_date": "needs a date",
    "stale": "no recent update",
}


@click.group("reminders")
def reminders_cli() -> None:
    """Reminder digests."""


@reminders_cli.command("run")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to sweep (default: today in Asia/Vientiane).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be queued; write nothing.")
@with_appcontext
def run_command(as_of, dry_run: bool) -> None:
    """Queue today's reminder digests in the outbox (one per recipient)."""
    day: date = as_of.date() if as_of else local_today()
    with acting_as("cli: reminders run"):
        report = sweep(day, dry_run=dry_run, base_url=current_app.config["BASE_URL"])
        db.session.commit()
    verb = "would go" if dry_run else "queued"
    if not report.covered:
        click.echo(f"{day} is not a working day: no reminders go out.")
    for recipient in report.recipients:
        reminders = _count(recipient.events, "reminder")
        click.echo(f"{recipient.email} [{recipient.language}] {verb}: {reminders}")
        for name in SECTIONS:
            if codes := recipient.sections.get(name):
                click.echo(f"  {SECTION_LABELS[name]}: {', '.join(codes)}")
    for email in report.already_queued:
        click.echo(f"{email}: the digest for {day} was already queued; nothing added")
    click.echo(
        f"Total for {day}: {_count(report.messages, 'digest')}, "
        f"{_count(report.events, 'reminder')} "
        + ("would be queued (dry run: nothing written)" if dry_run else "queued")
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
