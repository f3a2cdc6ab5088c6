"""Delivery of the outbox: send what is due, retry with backoff, fail after a limit, resend on an
admin's request; and the queries the Outbox page and the recommendation page read.

Safe with several senders at once (two schedulers against one database): a message is claimed
by an atomic conditional UPDATE (queued -> sending) committed before any SMTP traffic, so only
one sender ever holds it. Unlike the other services, `send_due` therefore commits itself: a
claim must be visible to the other senders before the mail goes out, and each result must be
kept even if a later message breaks. Nothing here reads the clock: times are arguments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update

from tracker.extensions import db
from tracker.models import MessageState, OutboxMessage, ReminderEvent
from tracker.reminders.mail import Mailer, MailSettings, ServerUnavailable, build_email

# A claim older than this belongs to a sender that died (a send takes seconds: the SMTP
# timeout bounds every step of it).
STALE_AFTER = timedelta(minutes=15)
RESENDABLE = (MessageState.FAILED, MessageState.SENT)


class OutboxError(ValueError):
    pass


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0  # failed this time, queued again for later
    failed: int = 0  # failed for the last allowed time
    recovered: int = 0  # found stuck in `sending` and queued again
    skipped: int = 0  # claimed by another sender first
    not_configured: bool = False
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"
            + (f", {self.recovered} recovered" if self.recovered else "")
            + (f", {self.skipped} taken by another sender" if self.skipped else "")
        )


def backoff(attempts: int, base: timedelta) -> timedelta:
    """Wait before the next try once try number `attempts` failed: base, 2 base, 4 base..."""
    return base * 2 ** (attempts - 1)


def recover_stale(now: datetime, *, max_attempts: int, stale_after: timedelta = STALE_AFTER) -> int:
    """Put messages stuck in `sending` (their sender died, or lost the database, between the
    claim and the result) back in the queue, counting the interrupted try as an attempt.

    This is the one place a message can go out twice: the sender may have died after the SMTP
    server accepted the message and before `sent` was committed, and nothing on our side can
    tell. Leaving it stuck would lose a message for certain to avoid a rare duplicate; a
    duplicate reminder is harmless, and the stable Message-ID lets mail systems merge it."""
    cutoff = now - stale_after
    stale = (OutboxMessage.state == MessageState.SENDING, OutboxMessage.claimed_at < cutoff)
    note = "interrupted while sending (the sender stopped); it may have been delivered"
    common = {"attempts": OutboxMessage.attempts + 1, "last_error": note, "claimed_at": None}
    recovered = 0
    for last_try, values in (
        (True, {"state": MessageState.FAILED}),
        (False, {"state": MessageState.QUEUED, "next_attempt_at": now}),
    ):
        at_limit = OutboxMessage.attempts + 1 >= max_attempts
        result = db.session.execute(
            update(OutboxMessage)
            .where(*stale, at_limit if last_try else ~at_limit)
            .values(**common, **values)
            .execution_options(synchronize_session=False)
        )
        recovered += result.rowcount
    return recovered


def claim(message_id: int, now: datetime, at: datetime) -> bool:
    """Take a due queued message for this sender: True for exactly one of competing senders."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.state == MessageState.QUEUED,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(state=MessageState.SENDING, claimed_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def record_failure(
    message: OutboxMessage, error: str, at: datetime, *, base: timedelta, max_attempts: int
) -> bool:
    """Count a failed try; queue the message again after a backoff, or fail it at the limit.
    True if it will be tried again."""
    message.attempts += 1
    message.last_error = error[:2000]
    message.claimed_at = None
    if message.attempts >= max_attempts:
        message.state = MessageState.FAILED
        return False
    message.state = MessageState.QUEUED
    message.next_attempt_at = at + backoff(message.attempts, base)
    return True


def send_due(
    now: datetime,
    *,
    limit: int | None = None,
    clock: Callable[[], datetime] | None = None,
) -> SendReport:
    """Send the queued messages due at `now`, oldest due first; commits as it goes.

    `clock` gives the time of each claim and result; by default every message uses `now`.
    Long-running senders pass the real clock, so that a claim's age says how long its sender
    has held it (see STALE_AFTER), however long the batch before it took."""
    clock = clock or (lambda: now)
    config = current_app.config
    settings = MailSettings.from_config(config)
    base = timedelta(seconds=config["OUTBOX_RETRY_BASE_SECONDS"])
    max_attempts = config["OUTBOX_MAX_ATTEMPTS"]
    report = SendReport(recovered=recover_stale(now, max_attempts=max_attempts))
    db.session.commit()
    if not settings.configured:
        report.not_configured = True
        return report
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.state == MessageState.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    server_down: ServerUnavailable | None = None
    with Mailer(settings) as mailer:
        for message_id in db.session.scalars(due).all():
            if not claim(message_id, now, clock()):
                db.session.rollback()
                report.skipped += 1
                continue
            db.session.commit()  # the claim is visible to every other sender before SMTP
            message = db.session.get(OutboxMessage, message_id)
            try:
                if server_down is not None:  # one timeout per batch, not one per message
                    raise ServerUnavailable(str(server_down))
                email = build_email(message, settings.sender)
                db.session.commit()  # hold no transaction while talking to the SMTP server
                mailer.send(email)
            except Exception as exc:  # any failure of one message: counted, the batch goes on
                db.session.rollback()
                message = db.session.get(OutboxMessage, message_id)
                if isinstance(exc, ServerUnavailable):
                    server_down, error = exc, str(exc)
                else:
                    error = f"{type(exc).__name__}: {exc}"
                report.errors.append(f"#{message_id} {error}")
                again = record_failure(
                    message, error, clock(), base=base, max_attempts=max_attempts
                )
                report.retried += again
                report.failed += not again
            else:
                message.state = MessageState.SENT
                message.attempts += 1
                message.sent_at = clock()
                message.last_error = None
                report.sent += 1
            db.session.commit()
    return report


def resend(message: OutboxMessage, now: datetime) -> None:
    """Queue a failed (or already sent) message again, due now, with its attempts reset. The
    previous `sent_at`, if any, stays until the new send replaces it."""
    if message.state not in RESENDABLE:
        raise OutboxError(_("a %(state)s message cannot be resent", state=message.state.value))
    message.state = MessageState.QUEUED
    message.attempts = 0
    message.last_error = None
    message.claimed_at = None
    message.next_attempt_at = now
    db.session.flush()


def messages_query(state: MessageState | None = None, recipient: str | None = None) -> Select:
    """The outbox, newest first, optionally of one state and of recipients matching a text."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    if recipient := (recipient or "").strip().lower():
        query = query.where(func.lower(OutboxMessage.recipient_email).contains(recipient))
    return query


def state_counts() -> dict[MessageState, int]:
    rows = db.session.execute(
        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    ).all()
    return dict.fromkeys(MessageState, 0) | dict(rows)


@dataclass(frozen=True)
class ItemReminder:
    message_id: int
    rule: str
    recipient: str
    state: MessageState
    queued_at: datetime
    sent_at: datetime | None


def reminders_for(recommendation_id: int, *, limit: int = 50) -> list[ItemReminder]:
    """Who was reminded about a recommendation, by which rule, and when: newest first."""
    rows = db.session.execute(
        select(
            OutboxMessage.id,
            ReminderEvent.rule,
            ReminderEvent.recipient_email,
            OutboxMessage.state,
            OutboxMessage.created_at,
            OutboxMessage.sent_at,
        )
        .join(ReminderEvent.message)
        .where(ReminderEvent.recommendation_id == recommendation_id)
        .order_by(OutboxMessage.created_at.desc(), ReminderEvent.id.desc())
        .limit(limit)
    ).all()
    return [ItemReminder(*row) for row in rows]
