"""Delivery of the outbox: nothing lost while SMTP is down, backoff, failure after the limit,
recovery of a sender that died, resending, the CLI, and exactly-once delivery with two
senders at once (threads, and two real `flask outbox send` processes)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import ROOT
from tests.reminders.smtp_server import NOW, SmtpServer, free_port, queue_message, use_smtp
from tracker.extensions import db
from tracker.models import MessageState, OutboxMessage
from tracker.reminders import mail
from tracker.reminders.outbox import OutboxError, backoff, claim, resend, send_due

MINUTES = timedelta(minutes=1)


def test_smtp_down_loses_nothing_then_the_message_is_sent_once(app, monkeypatch):
    message = queue_message()
    db.session.commit()
    port = free_port()  # nothing listens there yet
    use_smtp(app, monkeypatch, port)
    report = send_due(NOW)
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    db.session.refresh(message)
    assert message.state is MessageState.QUEUED and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at == NOW + 5 * MINUTES and message.sent_at is None

    with SmtpServer(port=port) as server:
        assert send_due(NOW + 4 * MINUTES).sent == 0  # not due yet: the backoff holds
        assert send_due(NOW + 5 * MINUTES).sent == 1
        assert send_due(NOW + 6 * MINUTES).sent == 0
    assert len(server.received.messages) == 1
    db.session.refresh(message)
    assert message.state is MessageState.SENT and message.sent_at == NOW + 5 * MINUTES
    assert message.attempts == 2 and message.last_error is None  # one failed try, one sent


def test_an_unreachable_server_is_tried_once_per_batch_and_every_message_kept(app, monkeypatch):
    messages = [queue_message() for _ in range(3)]
    db.session.commit()
    use_smtp(app, monkeypatch, free_port())
    connections = []
    real_smtp = mail.smtplib.SMTP
    monkeypatch.setattr(
        mail.smtplib, "SMTP", lambda *a, **kw: connections.append(a) or real_smtp(*a, **kw)
    )
    report = send_due(NOW)
    assert report.retried == 3 and len(connections) == 1
    for message in messages:
        db.session.refresh(message)
        assert message.state is MessageState.QUEUED and message.attempts == 1
        assert message.last_error.startswith("ConnectionRefusedError")
        assert message.next_attempt_at == NOW + 5 * MINUTES


def test_backoff_doubles_from_five_minutes_and_the_sixth_failure_is_final(app, monkeypatch):
    message = queue_message()
    db.session.commit()
    use_smtp(app, monkeypatch, free_port())
    at, waits = NOW, []
    for _ in range(5):
        assert send_due(at).retried == 1
        db.session.refresh(message)
        waits.append(message.next_attempt_at - at)
        at = message.next_attempt_at
    assert waits == [m * MINUTES for m in (5, 10, 20, 40, 80)]
    assert [backoff(n, 5 * MINUTES) for n in (1, 2, 3)] == [5 * MINUTES, 10 * MINUTES, 20 * MINUTES]
    report = send_due(at)
    assert (report.retried, report.failed) == (0, 1)
    db.session.refresh(message)
    assert message.state is MessageState.FAILED and message.attempts == 6
    assert send_due(at + timedelta(days=1)).failed == 0  # a failed message is left alone


def test_backoff_base_and_limit_are_configurable(app, monkeypatch):
    message = queue_message()
    db.session.commit()
    use_smtp(app, monkeypatch, free_port(), OUTBOX_RETRY_BASE_SECONDS=60, OUTBOX_MAX_ATTEMPTS=2)
    send_due(NOW)
    db.session.refresh(message)
    assert message.next_attempt_at == NOW + MINUTES
    assert send_due(NOW + MINUTES).failed == 1


def test_a_message_stuck_in_sending_is_queued_again_after_fifteen_minutes(app):
    dead = queue_message(state=MessageState.SENDING, claimed_at=NOW - 16 * MINUTES)
    busy = queue_message(state=MessageState.SENDING, claimed_at=NOW - 10 * MINUTES)
    last = queue_message(state=MessageState.SENDING, claimed_at=NOW - 20 * MINUTES, attempts=5)
    db.session.commit()
    assert send_due(NOW).recovered == 2
    for message in (dead, busy, last):
        db.session.refresh(message)
    assert dead.state is MessageState.QUEUED and dead.attempts == 1
    assert dead.next_attempt_at == NOW and "interrupted" in dead.last_error
    assert busy.state is MessageState.SENDING  # its sender may still be talking to the server
    assert last.state is MessageState.FAILED and last.attempts == 6


def test_only_one_claim_on_a_message_succeeds(app):
    message = queue_message()
    db.session.commit()
    assert claim(message.id, NOW, NOW) is True
    assert claim(message.id, NOW, NOW) is False
    later = queue_message(next_attempt_at=NOW + MINUTES)
    assert claim(later.id, NOW, NOW) is False  # not due


def test_resend_queues_a_failed_or_sent_message_with_attempts_reset(app):
    failed = queue_message(state=MessageState.FAILED, attempts=6, last_error="boom")
    sent = queue_message(state=MessageState.SENT, sent_at=NOW - MINUTES)
    queued = queue_message()
    for message in (failed, sent):
        resend(message, NOW)
        assert message.state is MessageState.QUEUED and message.attempts == 0
        assert message.next_attempt_at == NOW and message.last_error is None
    with pytest.raises(OutboxError):
        resend(queued, NOW)


def test_limit_sends_the_earliest_due_first(app, monkeypatch):
    late = queue_message(next_attempt_at=NOW - MINUTES)
    early = queue_message(next_attempt_at=NOW - 2 * MINUTES)
    db.session.commit()
    with SmtpServer() as server:
        use_smtp(app, monkeypatch, server.port)
        assert send_due(NOW, limit=1).sent == 1
    db.session.refresh(early)
    db.session.refresh(late)
    assert (early.state, late.state) == (MessageState.SENT, MessageState.QUEUED)


def test_two_senders_at_once_send_each_message_exactly_once(app, monkeypatch):
    ids = [queue_message().id for _ in range(12)]
    db.session.commit()
    barrier, reports = threading.Barrier(2), []

    def sender():
        with app.app_context():  # its own session, as in another process
            barrier.wait()
            reports.append(send_due(NOW))
            db.session.remove()

    with SmtpServer(delay=0.05) as server:
        use_smtp(app, monkeypatch, server.port)
        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    received = server.received.message_ids
    assert len(received) == len(set(received)) == 12
    assert sum(r.sent for r in reports) == 12
    states = db.session.scalars(select(OutboxMessage.state).where(OutboxMessage.id.in_(ids)))
    assert set(states) == {MessageState.SENT}


def test_two_flask_outbox_send_processes_send_each_message_exactly_once(app, database_url):
    for _ in range(12):
        queue_message()
    db.session.commit()
    with SmtpServer(delay=0.2) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAIL_")}
        env |= {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-only",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(server.port),
            "MAIL_DEFAULT_SENDER": "tracker@nsc.gov.la",
        }
        command = [sys.executable, "-m", "flask", "--app", "tracker", "outbox", "send"]
        runs = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    received = server.received.message_ids
    assert len(received) == len(set(received)) == 12, outputs
    sent = [int(out.split("Sent ")[1].split(",")[0]) for out in outputs]
    assert sum(sent) == 12, outputs
    db.session.expire_all()
    states = db.session.scalars(select(OutboxMessage.state))
    assert set(states) == {MessageState.SENT}


def test_cli_send_without_smtp_says_so_and_leaves_messages_queued(app, runner):
    queue_message()
    queue_message()
    db.session.commit()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "No SMTP server is configured" in result.output and "2 message(s)" in result.output
    assert set(db.session.scalars(select(OutboxMessage.state))) == {MessageState.QUEUED}


def test_cli_send_prints_counts(app, runner, monkeypatch):
    queue_message()
    queue_message()
    db.session.commit()
    with SmtpServer() as server:
        use_smtp(app, monkeypatch, server.port)
        result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, retried 0, failed 0." in result.output
    assert len(server.received.messages) == 2


def test_cli_list_shows_one_line_per_message_filtered_by_state(app, runner):
    queue_message(recipient_email="a@moj.gov.la", subject="Digest A")
    failed = queue_message(
        recipient_email="b@moj.gov.la",
        subject="Digest B",
        state=MessageState.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed\nmore",
    )
    db.session.commit()
    result = runner.invoke(args=["outbox", "list", "--state", "failed"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "\t".join(
            [
                str(failed.id),
                "failed",
                "b@moj.gov.la",
                "Digest B",
                "6",
                "2024-03-01 01:59 UTC",
                "SMTPServerDisconnected: Connection unexpectedly closed",
            ]
        )
    ]
    assert len(runner.invoke(args=["outbox", "list"]).output.splitlines()) == 2
    assert len(runner.invoke(args=["outbox", "list", "--limit", "1"]).output.splitlines()) == 1
    assert runner.invoke(args=["outbox", "list", "--state", "lost"]).exit_code == 2
