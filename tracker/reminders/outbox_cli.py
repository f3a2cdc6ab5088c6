"""`flask outbox send` and `flask outbox list`: the outbox from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import MessageState, OutboxMessage
from tracker.models.base import utcnow
from tracker.reminders.outbox import messages_query, send_due

STATES = [state.value for state in MessageState]


@click.group("outbox")
def outbox_cli() -> None:
    """Send and inspect the outgoing email messages."""


@outbox_cli.command("send")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many messages.")
@with_appcontext
def send_command(limit: int | None) -> None:
    """Send the queued messages that are due now."""
    report = send_due(utcnow(), limit=limit, clock=utcnow)
    if report.recovered:
        click.echo(
            ngettext(
                "%(num)d message found stuck in sending was queued again.",
                "%(num)d messages found stuck in sending were queued again.",
                report.recovered,
            )
        )
    if report.not_configured:
        waiting = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.state == MessageState.QUEUED)
        )
        click.echo(
            _(
                "No SMTP server is configured (set MAIL_SERVER): nothing was sent; "
                "%(waiting)d message(s) stay queued in the outbox.",
                waiting=waiting,
            )
        )
        return
    click.echo(
        _(
            "Sent %(sent)d, retried %(retried)d, failed %(failed)d.",
            sent=report.sent,
            retried=report.retried,
            failed=report.failed,
        )
    )
    if report.skipped:
        click.echo(
            ngettext(
                "%(num)d message was taken by another sender.",
                "%(num)d messages were taken by another sender.",
                report.skipped,
            )
        )
    if report.errors:
        config = current_app.config
        click.echo(
            _(
                "Errors from %(server)s:%(port)s:",
                server=config["MAIL_SERVER"],
                port=config["MAIL_PORT"],
            ),
            err=True,
        )
        for error in report.errors:
            click.echo(f"  {error}", err=True)


@outbox_cli.command("list")
@click.option("--state", type=click.Choice(STATES), help="Only messages in this state.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@with_appcontext
def list_command(state: str | None, limit: int) -> None:
    """One line per message, newest first: id, state, recipient, subject, attempts, created,
    last error (tab-separated)."""
    query = messages_query(MessageState(state) if state else None).limit(limit)
    for m in db.session.scalars(query):
        error = (m.last_error or "").splitlines()[0][:120] if m.last_error else ""
        fields = [
            str(m.id),
            m.state.value,
            m.recipient_email,
            m.subject.replace("\t", " ").replace("\n", " "),
            str(m.attempts),
            m.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            error,
        ]
        click.echo("\t".join(fields))
