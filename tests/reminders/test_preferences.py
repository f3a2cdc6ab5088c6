"""Every signed-in user's preferences: language and pausing reminders (Flask-WTF, CSRF)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import csrf_token, login
from tracker.extensions import db
from tracker.models import AuditEvent, Role

PATH = "/account/preferences"
PAUSE_LABEL = "Pause reminders (escalations still reach your body's head and the secretariat)"


@pytest.fixture
def signed_in(client, make_user):
    def sign_in(role: Role = Role.FOCAL_POINT):
        if role is Role.FOCAL_POINT:
            f.body("MOJ")
        user = make_user(role, body_code="MOJ" if role is Role.FOCAL_POINT else None)
        assert login(client, user.email).status_code == 302
        return user

    return sign_in


@pytest.mark.parametrize("role", list(Role))
def test_every_signed_in_user_opens_their_preferences_from_the_account_area(
    client, signed_in, role
):
    signed_in(role)
    assert f'href="{PATH}"' in client.get("/").get_data(as_text=True)
    page = client.get(PATH).get_data(as_text=True)
    assert PAUSE_LABEL in page and "ລາວ" in page and 'name="csrf_token"' in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(PATH).headers["Location"].startswith("/login")


def test_saving_the_language_and_pausing_reminders(client, signed_in):
    user = signed_in()
    data = {"language": "lo", "reminders_paused": "y", "csrf_token": csrf_token(client, PATH)}
    response = client.post(PATH, data=data)
    assert response.status_code == 302 and response.headers["Location"] == PATH
    db.session.refresh(user)
    assert user.language == "lo" and user.reminders_paused is True
    page = client.get(PATH).get_data(as_text=True)
    assert '<html lang="lo">' in page and "checked" in page
    audit = db.session.query(AuditEvent).filter_by(entity="User", entity_id=user.id).all()
    assert any("reminders_paused" in (event.changes or {}) for event in audit)

    # An unticked box is sent as nothing: reminders resume.
    client.post(PATH, data={"language": "en", "csrf_token": csrf_token(client, PATH)})
    db.session.refresh(user)
    assert user.language == "en" and user.reminders_paused is False


def test_preferences_need_a_csrf_token(client, signed_in):
    user = signed_in()
    assert client.post(PATH, data={"language": "lo", "reminders_paused": "y"}).status_code == 400
    db.session.refresh(user)
    assert user.language == "en" and user.reminders_paused is False


def test_an_unknown_language_is_refused_beside_the_field(client, signed_in):
    user = signed_in()
    data = {"language": "fr", "csrf_token": csrf_token(client, PATH)}
    response = client.post(PATH, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="language-error"' in page and 'aria-invalid="true"' in page
    db.session.refresh(user)
    assert user.language == "en"
