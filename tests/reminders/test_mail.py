"""Email building and SMTP delivery, against a real SMTP server on loopback: multipart text and
HTML, Lao intact in UTF-8, STARTTLS and login when configured."""

from __future__ import annotations

import email
import shutil
import ssl
import subprocess

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from config import mail_settings
from tests.reminders.smtp_server import (
    LAO_HTML,
    LAO_SUBJECT,
    LAO_TEXT,
    NOW,
    SmtpServer,
    queue_message,
    use_smtp,
)
from tracker.extensions import db
from tracker.models import MessageState
from tracker.reminders.mail import MailSettings, build_email, message_id
from tracker.reminders.outbox import send_due


def test_email_is_multipart_alternative_text_then_html_in_utf8(app):
    message = queue_message(recipient_email="focal@moj.gov.la")
    built = build_email(message, "tracker@nsc.gov.la")
    raw = built.as_bytes()
    assert raw.isascii(), "7-bit transfer encodings: no relay can mangle the Lao text"
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    text, html = parsed.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert text.get_content().replace("\r\n", "\n").rstrip("\n") == LAO_TEXT
    assert html.get_content().replace("\r\n", "\n").rstrip("\n") == LAO_HTML
    assert parsed["Subject"] == LAO_SUBJECT
    assert parsed["To"] == "focal@moj.gov.la" and parsed["From"] == "tracker@nsc.gov.la"
    assert parsed["Message-ID"] == message_id(message, "tracker@nsc.gov.la")
    assert parsed["Message-ID"].endswith("@nsc.gov.la>")


def test_a_message_reaches_a_real_smtp_server_with_lao_intact(app, monkeypatch):
    message = queue_message(recipient_email="focal@moj.gov.la")
    db.session.commit()
    with SmtpServer() as server:
        use_smtp(app, monkeypatch, server.port)
        report = send_due(NOW)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [(sender, recipients, received)] = server.received.messages
    assert sender == "tracker@nsc.gov.la" and recipients == ["focal@moj.gov.la"]
    assert received["Subject"] == LAO_SUBJECT
    assert received.get_content_type() == "multipart/alternative"
    text, html = received.iter_parts()
    assert text.get_content().replace("\r\n", "\n").rstrip("\n") == LAO_TEXT
    assert html.get_content().replace("\r\n", "\n").rstrip("\n") == LAO_HTML
    db.session.refresh(message)
    assert message.state is MessageState.SENT and message.sent_at == NOW
    assert message.attempts == 1 and message.last_error is None


def _self_signed_certificate(tmp_path) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate for the STARTTLS test")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def test_starttls_with_a_verified_certificate_and_login(app, monkeypatch, tmp_path):
    cert, key = _self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # the client trusts this certificate only

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"tracker",
            b"s3cret-pass",
        )
        return AuthResult(success=ok, handled=False)  # handled=False: answer 535

    queue_message()
    db.session.commit()
    smtp = SmtpServer(
        tls_context=server_tls,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    with smtp:
        use_smtp(
            app,
            monkeypatch,
            smtp.port,
            MAIL_USE_TLS=True,
            MAIL_USERNAME="tracker",
            MAIL_PASSWORD="s3cret-pass",
        )
        assert send_due(NOW).sent == 1
        queue_message()
        db.session.commit()
        monkeypatch.setitem(app.config, "MAIL_PASSWORD", "wrong")
        report = send_due(NOW)
    assert len(smtp.received.messages) == 1
    assert report.retried == 1 and "SMTPAuthenticationError" in report.errors[0]


def test_mail_settings_come_from_the_usual_environment_variables():
    env = {
        "MAIL_SERVER": "smtp.gov.la",
        "MAIL_PORT": "587",
        "MAIL_USE_TLS": "true",
        "MAIL_USERNAME": "tracker",
        "MAIL_PASSWORD": "pw",
        "MAIL_DEFAULT_SENDER": "tracker@nsc.gov.la",
    }
    settings = MailSettings.from_config(mail_settings(env))
    assert settings == MailSettings("smtp.gov.la", 587, True, "tracker", "pw", "tracker@nsc.gov.la")
    assert settings.configured
    assert mail_settings({"MAIL_SERVER": "", "MAIL_USE_TLS": "0"}) == {"MAIL_USE_TLS": False}


def test_without_a_server_nothing_is_sent_and_messages_stay_queued(app):
    assert app.config["MAIL_SERVER"] is None  # the embedded default
    message = queue_message()
    db.session.commit()
    report = send_due(NOW)
    assert report.not_configured and report.sent == 0
    db.session.refresh(message)
    assert message.state is MessageState.QUEUED and message.attempts == 0
