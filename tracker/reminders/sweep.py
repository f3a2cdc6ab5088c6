"""The daily reminder sweep: which rules fire on a day, for whom, and one digest per recipient
queued in the outbox. Nothing here reads the clock: the day is an argument.

A reminder event is (recipient, rule, item, period); its period makes a rule fire once per
intended period, e.g. "7d:2024-03-31" (7 days before the deadline of 31 March), "+14d:2024-03-31"
(14 days overdue), "+90d:2024-01-05" (90 days after the last update, of 5 January), an update id,
or a month. The sweep of working day D fires every event whose nominal date is D or one of the
non-working days that follow D (calendar.nominal_days_covered); on a non-working day, nothing.
A missed day is recovered by running the sweep for that day (`reminders run --as-of`).

Race-free queueing, in the caller's transaction (it commits once), a few statements in all:
 1. INSERT the digests ... ON CONFLICT (idempotency_key) DO NOTHING RETURNING the keys and ids,
    a digest's key being "<email>|digest|<day>". A recipient whose digest does not come back
    has one for the day already (an earlier run, or another process that committed first):
    nothing is added for them.
 2. INSERT their events ... ON CONFLICT (key) DO NOTHING RETURNING key, each pointing at its
    recipient's new digest.
 3. A digest lists only the events that came back new (it is rendered again when some were
    taken meanwhile); a digest none of whose events came back is deleted again.
On PostgreSQL an INSERT that meets a unique key written by a transaction still in progress waits
for that transaction to end: if it commits, ON CONFLICT DO NOTHING skips the row; if it rolls
back, the insert goes ahead. So of two processes sweeping at once, exactly one holds a
recipient's digest for the day, and each event key is inserted by exactly one transaction,
whatever the interleaving; a digest lists only events inserted in its own transaction, and no
one sees it before the commit. Keys are taken in one order (digests by address, then events by
key, which starts with the address), so two sweeps do not deadlock on them; were they to,
PostgreSQL would abort one of them, which then queues nothing. Reading what exists beforehand
(`_existing`) only spares work and makes the dry run exact; it is not what makes the sweep safe.
SQLite serialises writers (a second process waits for the lock, or fails with "database is
locked"): never a duplicate either way.

One transaction rather than one per recipient: a commit per recipient costs a disk flush each
(seconds for a few hundred digests on SQLite), per-recipient savepoints are unreliable with the
sqlite3 driver, and a rerun after a failure queues everything again anyway."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.extensions import db
from tracker.models import MessageState, OutboxMessage, ReminderEvent
from tracker.models.base import utcnow
from tracker.reminders.calendar import holidays_around, nominal_days_covered
from tracker.reminders.digest import KIND_SECTION, Details, render_digest, render_digests
from tracker.reminders.rules import Event, fire, load_rules
from tracker.reminders.snapshot import among, load_details, load_snapshot, run


@dataclass
class RecipientReport:
    email: str
    language: str
    sections: dict[str, list[str]]  # section -> recommendation codes
    events: int
    queued: bool  # False on a dry run


@dataclass
class SweepReport:
    as_of: date
    dry_run: bool
    covered: list[date]
    recipients: list[RecipientReport] = field(default_factory=list)
    # Recipients with new reminders whose digest for the day was already queued: not added.
    already_queued: list[str] = field(default_factory=list)

    @property
    def messages(self) -> int:
        return len(self.recipients)

    @property
    def events(self) -> int:
        return sum(r.events for r in self.recipients)

    def __str__(self) -> str:
        verb = "would queue" if self.dry_run else "queued"
        return f"{self.as_of}: {verb} {self.messages} digests, {self.events} reminders"


def sweep(as_of: date, *, dry_run: bool = False, base_url: str) -> SweepReport:
    """Queue the day's digests (one per recipient) for the reminders due on `as_of`; the
    caller commits. With `dry_run`, only say what would be queued."""
    rules = load_rules()
    holidays = holidays_around(as_of)
    report = SweepReport(as_of, dry_run, nominal_days_covered(as_of, holidays))
    if not report.covered:
        return report
    snapshot = load_snapshot(as_of, report.covered, rules)
    events = fire(snapshot, as_of, holidays, rules)
    existing_events, existing_digests = _existing(events.values(), as_of)
    by_recipient: dict[str, list[Event]] = {}
    for key, event in events.items():
        if key not in existing_events:
            by_recipient.setdefault(event.recipient.email, []).append(event)
    pending = {}
    for email in sorted(by_recipient):
        if digest_key(email, as_of) in existing_digests:
            report.already_queued.append(email)
        else:
            pending[email] = by_recipient[email]
    if dry_run:
        queued = pending
    else:
        details = load_details([e for events in pending.values() for e in events])
        queued = _queue(pending, as_of, base_url, details)
        report.already_queued += sorted(e for e, events in queued.items() if events is None)
    for email, events in queued.items():
        if events:
            sections: dict[str, set[str]] = {}
            for event in events:
                sections.setdefault(KIND_SECTION[event.kind], set()).add(event.code)
            report.recipients.append(
                RecipientReport(
                    email,
                    events[0].recipient.language,
                    {name: sorted(codes) for name, codes in sections.items()},
                    len(events),
                    queued=not dry_run,
                )
            )
    return report


def digest_key(email: str, as_of: date) -> str:
    return f"{email}|digest|{as_of}"


# -- reading ---------------------------------------------------------------------------------


def _existing(events: Iterable[Event], as_of: date) -> tuple[set[str], set[str]]:
    """The event keys and the day's digest keys among these that are in the database."""
    keys = sorted({e.key for e in events})
    digests = sorted({digest_key(e.recipient.email, as_of) for e in events})
    found_events: set[str] = set()
    for condition in among(ReminderEvent.key, keys):
        found_events.update(run(select(ReminderEvent.key).where(condition)).scalars())
    found_digests: set[str] = set()
    for condition in among(OutboxMessage.idempotency_key, digests):
        found_digests.update(run(select(OutboxMessage.idempotency_key).where(condition)).scalars())
    return found_events, found_digests


# -- writing ---------------------------------------------------------------------------------


def _insert(table):
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"the reminder sweep needs PostgreSQL or SQLite, not {dialect}")


def _queue(
    pending: dict[str, list[Event]], as_of: date, base_url: str, details: Details
) -> dict[str, list[Event] | None]:
    """Queue each recipient's digest with the events no one queued before, in bulk (a few
    statements, not a few per recipient). Returns, by recipient, the events queued, or None
    when the recipient's digest for the day exists already."""
    messages = OutboxMessage.__table__
    now = utcnow()
    digests = render_digests(pending, as_of=as_of, base_url=base_url, details=details)
    message_rows = [
        {
            "idempotency_key": digest_key(email, as_of),
            "recipient_email": email,
            "recipient_id": events[0].recipient.user_id,
            "language": events[0].recipient.language,
            "kind": "digest",
            "subject": digests[email].subject,
            "body_text": digests[email].body_text,
            "body_html": digests[email].body_html,
            "items": digests[email].items,
            "run_date": as_of,
            "state": MessageState.QUEUED,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for email, events in pending.items()  # in order of address: see the module's docstring
    ]
    message_ids = {}
    if message_rows:
        message_ids = dict(
            run(
                _insert(messages)
                .on_conflict_do_nothing(index_elements=["idempotency_key"])
                .returning(messages.c.idempotency_key, messages.c.id),
                message_rows,
            ).all()
        )
    event_rows = []
    for email, events in pending.items():
        if message_id := message_ids.get(digest_key(email, as_of)):
            event_rows += [
                {
                    "key": e.key,
                    "rule": e.rule,
                    "recipient_email": email,
                    "recommendation_id": e.recommendation_id,
                    "message_id": message_id,
                    "created_at": now,
                }
                for e in events
            ]
    event_rows.sort(key=lambda row: row["key"])
    new_keys = _insert_events(event_rows) if event_rows else set()
    queued: dict[str, list[Event] | None] = {}
    empty = []
    for email, events in pending.items():
        message_id = message_ids.get(digest_key(email, as_of))
        if message_id is None:
            queued[email] = None
            continue
        queued[email] = [e for e in events if e.key in new_keys]
        if not queued[email]:
            empty.append(message_id)
        elif len(queued[email]) < len(events):  # some were taken meanwhile: list only ours
            digest = render_digest(
                events[0].recipient,
                queued[email],
                as_of=as_of,
                base_url=base_url,
                details=details,
            )
            run(
                update(messages)
                .where(messages.c.id == message_id)
                .values(
                    subject=digest.subject,
                    body_text=digest.body_text,
                    body_html=digest.body_html,
                    items=digest.items,
                )
            )
    for condition in among(messages.c.id, empty):
        run(delete(messages).where(condition))
    return queued


# PostgreSQL takes the events as arrays: one short statement, where a multi-row VALUES list
# would be parsed and planned again for every batch of a thousand rows.
_UNNEST_EVENTS = text(
    "INSERT INTO reminder_event "
    "(key, rule, recipient_email, recommendation_id, message_id, created_at) "
    "SELECT key, rule, email, recommendation_id, message_id, :created_at FROM unnest("
    "CAST(:key AS text[]), CAST(:rule AS text[]), CAST(:email AS text[]), "
    "CAST(:recommendation_id AS integer[]), CAST(:message_id AS integer[])"
    ") AS event(key, rule, email, recommendation_id, message_id) "
    "ON CONFLICT (key) DO NOTHING RETURNING key"
)


def _insert_events(rows: list[dict]) -> set[str]:
    """Insert the events no one inserted before; returns their keys."""
    if db.session.get_bind().dialect.name == "postgresql":
        columns = ("key", "rule", "recipient_email", "recommendation_id", "message_id")
        arrays = {name: [row[name] for row in rows] for name in columns}
        arrays["email"] = arrays.pop("recipient_email")
        return set(run(_UNNEST_EVENTS, {**arrays, "created_at": rows[0]["created_at"]}).scalars())
    table = ReminderEvent.__table__
    statement = _insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key)
    return set(run(statement, rows).scalars())
