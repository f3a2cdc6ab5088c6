"""Accounts: admins manage every account, the secretariat focal points and viewers only;
deactivation, the last administrator, and the admin-driven password reset."""

import re

import pytest
from flask import url_for
from sqlalchemy import select

from tests.admin.conftest import post
from tests.conftest import login
from tracker.extensions import db
from tracker.models import Recommendation, Role, User
from tracker.users.services import AccountError, set_active, update_user

NEW_FOCAL_POINT = {
    "email": "Somchai@MOJ.gov.la",
    "name": "ສົມໃຈ ພົມມະຈັນ",
    "role": "focal_point",
    "body": "MOJ",
    "language": "lo",
    "password": "lao-pdr-2024",
    "must_change_password": "y",
}


def account(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def field_error(page: str, field_id: str) -> str:
    return page[page.index(f'id="{field_id}"') :].split("</div>")[0]


def test_admin_creates_a_focal_point_account(client, world, sign_in):
    sign_in(Role.ADMIN)
    response = post(client, "/admin/users/new", NEW_FOCAL_POINT)
    assert response.status_code == 302
    user = account("somchai@moj.gov.la")
    assert (user.name, user.role, user.body.code, user.language) == (
        "ສົມໃຈ ພົມມະຈັນ",
        Role.FOCAL_POINT,
        "MOJ",
        "lo",
    )
    assert user.check_password("lao-pdr-2024") and user.must_change_password
    assert "somchai@moj.gov.la" in client.get("/admin/users").get_data(as_text=True)


def test_a_focal_point_account_needs_a_body(client, world, sign_in):
    sign_in(Role.ADMIN)
    response = post(client, "/admin/users/new", {**NEW_FOCAL_POINT, "body": ""})
    page = response.get_data(as_text=True)
    assert "A focal point needs a body." in field_error(page, "body")
    assert 'value="Somchai@MOJ.gov.la"' in page  # what was typed is kept
    assert account("somchai@moj.gov.la") is None


@pytest.mark.parametrize(
    ("password", "message"),
    [("short-1", "at least 10 characters"), ("onlyletters", "mix letters with digits")],
)
def test_the_initial_password_must_meet_the_rules(client, world, sign_in, password, message):
    sign_in(Role.ADMIN)
    page = post(client, "/admin/users/new", {**NEW_FOCAL_POINT, "password": password})
    assert message in field_error(page.get_data(as_text=True), "password")
    assert account("somchai@moj.gov.la") is None


def test_an_email_already_used_is_refused_beside_the_email(client, world, sign_in, make_user):
    make_user(Role.VIEWER, email="somchai@moj.gov.la")
    sign_in(Role.ADMIN)
    page = post(client, "/admin/users/new", NEW_FOCAL_POINT).get_data(as_text=True)
    assert "already exists" in field_error(page, "email")


def test_secretariat_cannot_create_an_admin(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    form = client.get("/admin/users/new").get_data(as_text=True)
    roles = re.findall(r'<option[^>]*value="(\w+)"', field_error(form, "role"))
    assert roles == ["focal_point", "viewer"]
    for role in ("admin", "secretariat"):
        data = {**NEW_FOCAL_POINT, "email": f"{role}@example.org", "role": role, "body": ""}
        page = post(client, "/admin/users/new", data).get_data(as_text=True)
        assert "Not a valid choice" in field_error(page, "role")
        assert account(f"{role}@example.org") is None


def test_secretariat_creates_and_edits_focal_points_and_viewers(client, world, sign_in, make_user):
    viewer = make_user(Role.VIEWER, email="partner@example.org")
    sign_in(Role.SECRETARIAT)
    data = {"name": "Partner", "role": "focal_point", "body": "MOHA", "language": "en"}
    assert post(client, f"/admin/users/{viewer.id}/edit", data).status_code == 302
    assert (viewer.role, viewer.body.code, viewer.name) == (Role.FOCAL_POINT, "MOHA", "Partner")
    promoted = post(client, f"/admin/users/{viewer.id}/edit", {**data, "role": "secretariat"})
    assert "Not a valid choice" in field_error(promoted.get_data(as_text=True), "role")
    assert viewer.role is Role.FOCAL_POINT


def test_secretariat_cannot_touch_admin_or_secretariat_accounts(client, world, sign_in, make_user):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    colleague = make_user(Role.SECRETARIAT, email="colleague@example.org")
    sign_in(Role.SECRETARIAT)
    listing = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{admin.id}/edit" not in listing
    for user in (admin, colleague):
        assert client.get(f"/admin/users/{user.id}/edit").status_code == 403
        assert post(client, f"/admin/users/{user.id}/active", {"active": "0"}).status_code == 403
        assert post(client, f"/admin/users/{user.id}/reset-password").status_code == 403
    assert admin.active and colleague.active and not admin.must_change_password


def test_the_list_filters_by_role_body_and_state(client, world, sign_in, make_user):
    make_user(Role.FOCAL_POINT, email="fp.moj@example.org", body_code="MOJ")
    make_user(Role.FOCAL_POINT, email="fp.moha@example.org", body_code="MOHA")
    gone = make_user(Role.VIEWER, email="gone@example.org")
    gone.active = False
    db.session.commit()
    sign_in(Role.ADMIN, email="admin@example.org")

    def emails(query: str) -> set[str]:
        page = client.get(f"/admin/users{query}").get_data(as_text=True)
        return set(re.findall(r"<td>([\w.]+@example\.org)</td>", page))

    assert emails("") == {"fp.moj@example.org", "fp.moha@example.org", "gone@example.org",
                          "admin@example.org"}  # fmt: skip
    assert emails("?role=focal_point") == {"fp.moj@example.org", "fp.moha@example.org"}
    assert emails("?body=MOHA") == {"fp.moha@example.org"}
    assert emails("?active=no") == {"gone@example.org"}
    assert emails("?role=viewer&active=yes") == set()


def test_admin_reset_shows_a_temporary_password_once_and_sets_must_change_password(
    client, world, sign_in, make_user
):
    user = make_user(Role.FOCAL_POINT, email="fp@example.org", body_code="MOJ")
    sign_in(Role.ADMIN)
    response = post(client, f"/admin/users/{user.id}/reset-password")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r"<code>([^<]+)</code>", response.get_data(as_text=True)).group(1)
    assert len(password) >= 16 and user.must_change_password
    assert user.check_password(password) and password not in user.password_hash
    # Nowhere else: not on the account page, not in a flash message on the next page.
    assert password not in client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert client.get(f"/admin/users/{user.id}/reset-password").status_code == 405
    post(client, "/logout")
    with client.application.test_request_context():
        change_password = url_for("auth.change_password")
    assert login(client, "fp@example.org", password).headers["Location"] == change_password


def test_a_deactivated_user_cannot_sign_in_until_reactivated(client, world, sign_in, make_user):
    user = make_user(Role.VIEWER, email="viewer@example.org")
    other = client.application.test_client()
    assert login(other, "viewer@example.org").status_code == 302
    sign_in(Role.SECRETARIAT)
    response = post(client, f"/admin/users/{user.id}/active", {"active": "0"})
    assert response.headers["Location"] == f"/admin/users/{user.id}/edit"
    assert user.active is False
    assert other.get("/").headers["Location"].startswith("/login")  # signed out at once
    assert login(other, "viewer@example.org").status_code == 401
    post(client, f"/admin/users/{user.id}/active", {"active": "1"})
    assert login(client.application.test_client(), "viewer@example.org").status_code == 302


def test_an_admin_cannot_deactivate_themselves(client, world, sign_in, make_user):
    make_user(Role.ADMIN, email="other.admin@example.org")
    me = sign_in(Role.ADMIN, email="me@example.org")
    response = post(client, f"/admin/users/{me.id}/active", {"active": "0"}, follow_redirects=True)
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    assert me.active


def test_last_admin_cannot_be_deactivated(client, world, sign_in):
    me = sign_in(Role.ADMIN, email="me@example.org")
    response = post(client, f"/admin/users/{me.id}/active", {"active": "0"}, follow_redirects=True)
    assert (
        "The account me@example.org is the last active administrator: make another one first"
        in response.get_data(as_text=True)
    )
    assert me.active


def test_last_admin_cannot_be_given_another_role(client, world, sign_in, make_user):
    retired = make_user(Role.ADMIN, email="retired@example.org")
    retired.active = False  # a deactivated administrator does not count
    db.session.commit()
    me = sign_in(Role.ADMIN, email="me@example.org")
    data = {"name": "Me", "role": "viewer", "body": "", "language": "en"}
    page = post(client, f"/admin/users/{me.id}/edit", data).get_data(as_text=True)
    assert "is the last active administrator" in field_error(page, "role")
    assert me.role is Role.ADMIN


def test_an_admin_cannot_change_their_own_role_even_with_other_admins(
    client, world, sign_in, make_user
):
    make_user(Role.ADMIN, email="other.admin@example.org")
    me = sign_in(Role.ADMIN, email="me@example.org")
    data = {"name": "Me", "role": "viewer", "body": "", "language": "en"}
    page = post(client, f"/admin/users/{me.id}/edit", data).get_data(as_text=True)
    assert "You cannot change your own role" in field_error(page, "role")
    assert me.role is Role.ADMIN


def test_an_admin_demotes_or_deactivates_another_admin_while_one_remains(app, make_user):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    deputy = make_user(Role.ADMIN, email="deputy@example.org")
    update_user(deputy, actor=admin, name="D", role=Role.VIEWER, body_code=None, language="en")
    assert deputy.role is Role.VIEWER
    set_active(deputy, False, admin)
    assert deputy.active is False
    with pytest.raises(AccountError, match="admin@example.org is the last active administrator"):
        set_active(admin, False, admin)


def test_a_focal_point_who_changes_body_leaves_the_old_bodys_assignments(
    client, world, sign_in, make_user
):
    user = make_user(Role.FOCAL_POINT, email="fp@example.org", body_code="MOJ")
    rec = db.session.scalars(select(Recommendation).where(Recommendation.code == "R-1")).one()
    rec.lead.focal_points.append(user)
    db.session.commit()
    sign_in(Role.SECRETARIAT)
    data = {"name": "Moved", "role": "focal_point", "body": "MOHA", "language": "en"}
    assert post(client, f"/admin/users/{user.id}/edit", data).status_code == 302
    assert rec.lead.focal_points == []
