"""`flask --app tracker reminders run [--as-of YYYY-MM-DD] [--dry-run]`: the daily sweep by hand."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from tracker.audit import acting_as
from tracker.clock import local_today
from tracker.extensions import db
from tracker.reminders.digest import SECTIONS
from tracker.reminders.sweep import sweep

SECTION_LABELS = {
    "overdue": _l("overdue"),
    "due_soon": _l("due soon"),
    "waiting": _l("waiting"),
    "needs_date": _l("needs a date"),
    "stale": _l("no recent update"),
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
    if not report.covered:
        click.echo(_("%(day)s is not a working day: no reminders go out.", day=day.isoformat()))
    for recipient in report.recipients:
        who = {
            "email": recipient.email,
            "language": recipient.language,
            "reminders": _reminders(recipient.events),
        }
        if dry_run:
            click.echo(_("%(email)s [%(language)s] would go: %(reminders)s", **who))
        else:
            click.echo(_("%(email)s [%(language)s] queued: %(reminders)s", **who))
        for name in SECTIONS:
            if codes := recipient.sections.get(name):
                click.echo(f"  {SECTION_LABELS[name]}: {', '.join(codes)}")
    for email in report.already_queued:
        click.echo(
            _(
                "%(email)s: the digest for %(day)s was already queued; nothing added",
                email=email,
                day=day.isoformat(),
            )
        )
    total = {
        "day": day.isoformat(),
        "digests": ngettext("%(num)d digest", "%(num)d digests", report.messages),
        "reminders": _reminders(report.events),
    }
    if dry_run:
        click.echo(
            _(
                "Total for %(day)s: %(digests)s, %(reminders)s would be queued "
                "(dry run: nothing written)",
                **total,
            )
        )
    else:
        click.echo(_("Total for %(day)s: %(digests)s, %(reminders)s queued", **total))


def _reminders(n: int) -> str:
    return ngettext("%(num)d reminder", "%(num)d reminders", n)
