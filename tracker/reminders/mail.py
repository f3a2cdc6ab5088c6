"""Email over SMTP: the settings (MAIL_* in the app config), a multipart/alternative message
(text and HTML, UTF-8 so Lao arrives intact) and a connection that sends one message after
another. No Flask-Mail: smtplib does all this in a few lines."""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from types import TracebackType
from typing import Self

from tracker.models import OutboxMessage

# 7-bit transfer encodings (base64 or quoted-printable, whichever is shorter): a relay without
# 8BITMIME cannot mangle Lao text, and CRLF line ends as SMTP wants them.
POLICY = SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int = 25
    use_tls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str = "tracker@localhost"
    timeout: float = 30

    @classmethod
    def from_config(cls, config) -> MailSettings:
        return cls(
            server=config.get("MAIL_SERVER") or None,
            port=int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            sender=config.get("MAIL_DEFAULT_SENDER") or "tracker@localhost",
            timeout=float(config.get("MAIL_TIMEOUT") or 30),
        )

    @property
    def configured(self) -> bool:
        return bool(self.server)


def message_id(message: OutboxMessage, sender: str) -> str:
    """The same Message-ID for every attempt at one outbox message, so that the rare message
    sent twice (see outbox.recover_stale) can be recognised as one by mail systems."""
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:16]
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<outbox.{message.id}.{digest}@{domain}>"


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """A multipart/alternative email of the message: its text body, then its HTML body."""
    email = EmailMessage(policy=POLICY)
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = message.recipient_email
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message_id(message, sender)
    email["Content-Language"] = message.language
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    email.set_content(message.body_text, charset="utf-8")
    email.add_alternative(message.body_html, subtype="html", charset="utf-8")
    return email


class ServerUnavailable(Exception):
    """The SMTP server could not be reached or refused the session (connection, STARTTLS or
    login): every message would fail the same way, so the batch need not try the others."""


class Mailer:
    """One SMTP connection, opened at the first message and kept for the next ones; dropped
    after an error, so that the next message starts from a fresh connection."""

    def __init__(self, settings: MailSettings) -> None:
        if not settings.configured:
            raise ValueError("no SMTP server is configured (MAIL_SERVER)")
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
        try:
            if s.use_tls:  # the server's certificate and name are verified
                smtp.starttls(context=ssl.create_default_context())
            if s.username:
                smtp.login(s.username, s.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, email: EmailMessage) -> None:
        """Send or raise: ServerUnavailable, or smtplib.SMTPException / OSError (including
        timeouts) for this message."""
        try:
            if self._smtp is None:
                try:
                    self._smtp = self._connect()
                except (smtplib.SMTPException, OSError) as exc:
                    raise ServerUnavailable(f"{type(exc).__name__}: {exc}") from exc
            self._smtp.send_message(email)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
