"""Who may open the management pages: every route is checked on the server."""

import pytest
from sqlalchemy import func, select

from tests.admin.conftest import post
from tracker.extensions import db
from tracker.models import Assignment, AuditEvent, Cluster, Role
from tracker.policies import can_manage_user, can_manage_users


@pytest.fixture
def targets(world, make_user):
    """One existing object for every URL parameter of the admin routes."""
    fp = make_user(Role.FOCAL_POINT, email="target@example.org", body_code="MOJ")
    return {
        "code": "MOJ",
        "source_code": "UPR-3",
        "cluster_id": db.session.scalars(select(Cluster)).first().id,
        "assignment_id": db.session.scalars(select(Assignment)).first().id,
        "user_id": fp.id,
        "direction": "up",
    }


def admin_routes(app, targets):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<{name}>", str(targets[name]))
                for converter in ("int", "any(up, down)"):
                    path = path.replace(f"<{converter}:{name}>", str(targets[name]))
            yield path, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_admin_route_gets_a_concrete_path(app, targets):
    paths = [path for path, _methods in admin_routes(app, targets)]
    endpoints = [r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")]
    assert len(paths) == len(endpoints) > 15 and all("<" not in p for p in paths)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FOCAL_POINT])
def test_viewer_and_focal_point_get_403_on_every_admin_route(client, targets, sign_in, role):
    sign_in(role, body_code="MOJ" if role is Role.FOCAL_POINT else None)
    changes = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for path, methods in admin_routes(client.application, targets):
        for method in methods:
            response = client.get(path) if method == "GET" else post(client, path, {"active": "0"})
            assert response.status_code == 403, (method, path)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == changes


def test_signed_out_visitors_are_sent_to_sign_in(client, targets):
    for path, methods in admin_routes(client.application, targets):
        if "GET" in methods:
            assert client.get(path).headers["Location"].startswith("/login"), path


def test_secretariat_manages_the_register_pages_but_only_some_accounts(client, targets, sign_in):
    sign_in(Role.SECRETARIAT)
    for path in ("/admin/bodies", "/admin/bodies/MOJ", "/admin/clusters", "/admin/users"):
        assert client.get(path).status_code == 200, path
    nav = client.get("/").get_data(as_text=True)
    assert all(link in nav for link in ('href="/admin/bodies"', 'href="/admin/users"'))


def test_the_navigation_shows_admin_links_only_to_those_who_may_use_them(client, targets, sign_in):
    sign_in(Role.VIEWER)
    nav = client.get("/").get_data(as_text=True)
    assert "/admin/" not in nav


def test_who_may_manage_which_accounts(app, make_user):
    admin = make_user(Role.ADMIN, email="a@example.org")
    secretariat = make_user(Role.SECRETARIAT, email="s@example.org")
    viewer = make_user(Role.VIEWER, email="v@example.org")
    assert all(can_manage_user(admin, role) for role in Role)
    assert [r for r in Role if can_manage_user(secretariat, r)] == [Role.FOCAL_POINT, Role.VIEWER]
    assert not any(can_manage_user(viewer, role) for role in Role)
    assert can_manage_users(secretariat) and not can_manage_users(viewer)
    admin.active = False
    assert not can_manage_user(admin, Role.VIEWER) and not can_manage_user(None, Role.VIEWER)
