"""The Outbox pages (administrators only) and the reminders shown on a recommendation's page
(administrators and the secretariat)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import csrf_token, login
from tests.reminders.smtp_server import LAO_SUBJECT, LAO_TEXT, NOW, queue_message
from tracker.extensions import db
from tracker.models import MessageState, ReminderEvent, Role


@pytest.fixture
def failed(app):
    message = queue_message(
        recipient_email="focal@moj.gov.la",
        state=MessageState.FAILED,
        attempts=6,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        body_html='<p onclick="alert(1)">ສະບາຍດີ</p><script>alert(2)</script>',
    )
    queue_message(recipient_email="head@moha.gov.la", state=MessageState.SENT, sent_at=NOW)
    db.session.commit()
    return message


def sign_in(client, make_user, role: Role):
    user = make_user(role, body_code="MOJ" if role is Role.FOCAL_POINT else None)
    assert login(client, user.email).status_code == 302
    return user


def post(client, path: str, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/")})


def outbox_paths(message_id: int) -> list[str]:
    base = f"/admin/outbox/{message_id}"
    return ["/admin/outbox", base, f"{base}/message.html"]


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FOCAL_POINT, Role.VIEWER])
def test_only_admins_open_the_outbox(client, make_user, failed, role):
    if role is Role.FOCAL_POINT:
        f.body("MOJ")
    sign_in(client, make_user, role)
    for path in outbox_paths(failed.id):
        assert client.get(path).status_code == 403, path
    assert post(client, f"/admin/outbox/{failed.id}/resend").status_code == 403
    db.session.refresh(failed)
    assert failed.state is MessageState.FAILED
    assert "/admin/outbox" not in client.get("/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client, failed):
    for path in outbox_paths(failed.id):
        assert client.get(path).headers["Location"].startswith("/login"), path


def test_admin_lists_filters_and_reads_messages(client, make_user, failed):
    sign_in(client, make_user, Role.ADMIN)
    assert 'href="/admin/outbox"' in client.get("/").get_data(as_text=True)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "focal@moj.gov.la" in page and "head@moha.gov.la" in page
    assert "No SMTP server is configured" in page
    page = client.get("/admin/outbox?state=failed").get_data(as_text=True)
    assert "focal@moj.gov.la" in page and "head@moha.gov.la" not in page
    page = client.get("/admin/outbox?recipient=MOHA").get_data(as_text=True)
    assert "focal@moj.gov.la" not in page and "head@moha.gov.la" in page

    page = client.get(f"/admin/outbox/{failed.id}").get_data(as_text=True)
    assert LAO_SUBJECT in page and LAO_TEXT.splitlines()[1] in page
    assert "ConnectionRefusedError" in page and "Send again" in page
    assert "<script>alert(2)" not in page  # the HTML body is never rendered in the app


def test_the_html_body_is_a_sandboxed_download(client, make_user, failed):
    sign_in(client, make_user, Role.ADMIN)
    response = client.get(f"/admin/outbox/{failed.id}/message.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"].startswith("sandbox;")
    assert "ສະບາຍດີ" in response.get_data(as_text=True)


def test_admin_resends_a_failed_message_with_csrf(client, make_user, failed):
    sign_in(client, make_user, Role.ADMIN)
    path = f"/admin/outbox/{failed.id}/resend"
    assert client.post(path).status_code == 400  # no CSRF token
    db.session.refresh(failed)
    assert failed.state is MessageState.FAILED
    response = post(client, path)
    assert response.status_code == 302
    db.session.refresh(failed)
    assert failed.state is MessageState.QUEUED and failed.attempts == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "queued to be sent again" in page and "Send again" not in page
    assert post(client, path).status_code == 302  # a queued message: refused, explained
    assert "Only a failed or sent message" in client.get(f"/admin/outbox/{failed.id}").get_data(
        as_text=True
    )


@pytest.fixture
def reminded(app):
    rec = f.recommendation(f.source(), "R-1")
    message = queue_message(recipient_email="focal@moj.gov.la", state=MessageState.SENT)
    message.sent_at = NOW
    db.session.add(
        ReminderEvent(
            key=f"focal@moj.gov.la|due_soon|{rec.id}|2024-03",
            rule="due_soon",
            recipient_email="focal@moj.gov.la",
            recommendation_id=rec.id,
            message_id=message.id,
        )
    )
    db.session.commit()
    return rec, message


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECRETARIAT])
def test_recommendation_page_shows_who_was_reminded_and_when(client, make_user, reminded, role):
    rec, message = reminded
    sign_in(client, make_user, role)
    page = client.get(f"/recommendations/{rec.code}").get_data(as_text=True)
    assert "Reminders sent" in page and "focal@moj.gov.la" in page and "due_soon" in page
    link = f'href="/admin/outbox/{message.id}"'
    assert (link in page) is (role is Role.ADMIN)


def test_viewers_do_not_see_the_reminders_of_a_recommendation(client, make_user, reminded):
    rec, _message = reminded
    sign_in(client, make_user, Role.VIEWER)
    page = client.get(f"/recommendations/{rec.code}").get_data(as_text=True)
    assert "focal@moj.gov.la" not in page and "Reminders sent" not in page
