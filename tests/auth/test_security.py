"""Security by default: headers and CSP, throttled sign-in, forced password change."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import PASSWORD, csrf_token, login
from tracker.auth.throttle import MAX_PER_ACCOUNT, WINDOW
from tracker.extensions import db
from tracker.models import LoginAttempt, Role, User


def test_every_page_sends_a_strict_csp_and_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client, make_user):
    make_user(Role.SECRETARIAT, email="sec@example.org")
    login(client, "sec@example.org")
    for path in ("/", "/login"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "style=" not in page and " onclick=" not in page


def test_sign_in_is_throttled_after_repeated_failures(client, make_user):
    make_user(Role.VIEWER, email="viewer@example.org")
    for _ in range(MAX_PER_ACCOUNT):
        assert login(client, "viewer@example.org", "wrong-password-1").status_code == 401
    response = login(client, "viewer@example.org")  # even the right password waits
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    # Once the window has passed, the right password works and clears the count.
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.at -= WINDOW + timedelta(minutes=1)
    db.session.commit()
    assert login(client, "viewer@example.org").status_code == 302
    assert (
        db.session.scalars(
            select(LoginAttempt).where(LoginAttempt.email == "viewer@example.org")
        ).first()
        is None
    )


def test_user_must_change_a_reset_password_before_anything_else(client, make_user):
    user = make_user(Role.VIEWER, email="viewer@example.org")
    user.must_change_password = True
    db.session.commit()
    response = login(client, "viewer@example.org")
    assert response.headers["Location"] == "/account/password"
    assert client.get("/").headers["Location"] == "/account/password"
    token = csrf_token(client, "/account/password")
    response = client.post(
        "/account/password",
        data={"csrf_token": token, "current": PASSWORD, "new": "short", "confirm": "short"},
    )
    assert "at least 10 characters" in response.get_data(
        as_text=True
    ).lower() or "Field must be at least 10 characters long." in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current": PASSWORD,
            "new": "a-new-password-7",
            "confirm": "a-new-password-7",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.email == "viewer@example.org")).one()
    assert not user.must_change_password and user.check_password("a-new-password-7")
    assert client.get("/").status_code == 200


def test_change_password_needs_the_current_one(client, make_user):
    make_user(Role.VIEWER, email="viewer@example.org")
    login(client, "viewer@example.org")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(client, "/account/password"),
            "current": "not-it-123",
            "new": "a-new-password-7",
            "confirm": "a-new-password-7",
        },
    )
    assert "This is not your current password." in response.get_data(as_text=True)
