"""A real SMTP server on loopback for the outbox tests (aiosmtpd in a thread), and a builder of
queued outbox messages. Shared by test_mail.py and test_outbox.py."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from itertools import count

from aiosmtpd.controller import Controller

from tracker.extensions import db
from tracker.models import OutboxMessage

NOW = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)  # 09:00 in Vientiane
LAO_SUBJECT = "ແຈ້ງເຕືອນ: ຂໍ້ສະເໜີແນະ R-1 ຮອດກຳນົດ"
LAO_TEXT = "ສະບາຍດີ,\nຂໍ້ສະເໜີແນະ R-1 ຮອດກຳນົດໃນວັນທີ 31 ມີນາ 2024."
LAO_HTML = "<p>ສະບາຍດີ,</p><p>ຂໍ້ສະເໜີແນະ <strong>R-1</strong> ຮອດກຳນົດ.</p>"

_seq = count(1)


def free_port() -> int:
    """A port nothing listens on (the OS just handed it out and it was closed again)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Received:
    """The handler: keeps every message the server accepted, optionally after a delay (a slow
    server, so that concurrent senders overlap)."""

    def __init__(self, delay: float = 0) -> None:
        self.delay = delay
        self.messages: list[tuple[str, list[str], EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd hook
        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.original_content, policy=default)
        with self._lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"

    @property
    def message_ids(self) -> list[str]:
        with self._lock:
            return [m["Message-ID"] for _, _, m in self.messages]


class SmtpServer:
    """`with SmtpServer() as server:` a listening server at server.port, stopped afterwards."""

    def __init__(self, delay: float = 0, port: int | None = None, **controller_kwargs) -> None:
        self.port = port or free_port()
        self.received = Received(delay)
        self.controller = Controller(
            self.received, hostname="127.0.0.1", port=self.port, **controller_kwargs
        )

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def use_smtp(app, monkeypatch, port: int, **settings) -> None:
    """Point the app's MAIL_* settings at 127.0.0.1:port for one test."""
    values = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_DEFAULT_SENDER": "tracker@nsc.gov.la",
        "MAIL_TIMEOUT": 5,
    }
    for key, value in (values | settings).items():
        monkeypatch.setitem(app.config, key, value)


def queue_message(**kw) -> OutboxMessage:
    """A queued message, due at NOW unless told otherwise."""
    n = next(_seq)
    message = OutboxMessage(
        idempotency_key=kw.pop("idempotency_key", f"test|digest|{n}"),
        recipient_email=kw.pop("recipient_email", f"focal{n}@moj.gov.la"),
        language=kw.pop("language", "lo"),
        kind=kw.pop("kind", "digest"),
        subject=kw.pop("subject", LAO_SUBJECT),
        body_text=kw.pop("body_text", LAO_TEXT),
        body_html=kw.pop("body_html", LAO_HTML),
        run_date=kw.pop("run_date", date(2024, 3, 1)),
        next_attempt_at=kw.pop("next_attempt_at", NOW - timedelta(minutes=1)),
        created_at=kw.pop("created_at", NOW - timedelta(minutes=1)),
        **kw,
    )
    db.session.add(message)
    db.session.flush()
    return message
