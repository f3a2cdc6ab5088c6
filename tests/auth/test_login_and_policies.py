"""Signing in, roles and the named policies."""

import pytest

from tests import factories as f
from tests.conftest import PASSWORD, csrf_token, login
from tracker.extensions import db
from tracker.models import Role
from tracker.policies import (
    can_administer,
    can_manage_register,
    can_update,
    can_validate,
    can_view,
)


@pytest.fixture
def two_bodies(app):
    src = f.source()
    f.body("MOJ")
    f.body("MOHA")
    moj_rec = f.recommendation(src, "R-MOJ", lead="MOJ")
    moha_rec = f.recommendation(src, "R-MOHA", lead="MOHA", supporting=("MOJ",))
    db.session.commit()
    return moj_rec, moha_rec


def test_every_page_but_login_requires_signing_in(client, two_bodies):
    for path in ("/", "/recommendations/R-MOJ"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_sign_in_with_the_right_password_and_out_again(client, make_user, two_bodies):
    make_user(Role.VIEWER, email="viewer@example.org")
    response = login(client, "Viewer@Example.org")  # email is not case-sensitive
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, make_user):
    make_user(Role.VIEWER, email="viewer@example.org")
    response = login(client, "viewer@example.org", "not-the-password-1")
    assert response.status_code == 401
    assert "Wrong email or password" in response.get_data(as_text=True)


def test_a_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user(Role.SECRETARIAT, email="sec@example.org")
    user.active = False
    db.session.commit()
    assert login(client, "sec@example.org").status_code == 401


def test_login_form_without_csrf_token_is_rejected(client, make_user):
    make_user(Role.VIEWER, email="viewer@example.org")
    response = client.post("/login", data={"email": "viewer@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_login_never_redirects_off_site(client, make_user):
    make_user(Role.VIEWER, email="viewer@example.org")
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"email": "viewer@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_focal_point_writes_only_to_their_own_bodys_assignments(make_user, two_bodies):
    moj_rec, moha_rec = two_bodies
    focal = make_user(Role.FOCAL_POINT, email="fp@moj.example", body_code="MOJ")
    assert can_update(focal, moj_rec.lead)
    assert not can_update(focal, moha_rec.lead)  # MOHA leads it
    assert can_update(focal, moha_rec.supporting[0])  # MOJ supports it
    assert not can_validate(focal) and not can_manage_register(focal)


@pytest.mark.parametrize(
    ("role", "view", "manage", "validate", "administer", "update"),
    [
        (Role.ADMIN, True, True, True, True, True),
        (Role.SECRETARIAT, True, True, True, False, True),
        (Role.VIEWER, True, False, False, False, False),
    ],
)
def test_role_policies(make_user, two_bodies, role, view, manage, validate, administer, update):
    user = make_user(role, email=f"{role.value}@example.org")
    moj_rec, _ = two_bodies
    assert can_view(user, moj_rec) is view
    assert can_manage_register(user) is manage
    assert can_validate(user) is validate
    assert can_administer(user) is administer
    assert can_update(user, moj_rec.lead) is update


def test_a_deactivated_user_passes_no_policy(make_user, two_bodies):
    user = make_user(Role.ADMIN, email="admin@example.org")
    user.active = False
    assert not can_view(user) and not can_administer(user)
    assert not can_update(user, two_bodies[0].lead)


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    make_user(Role.VIEWER, email="viewer@example.org")
    response = login(client, "viewer@example.org")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
