"""The focal points of each assignment, managed from the body's page."""

import pytest
from sqlalchemy import select

from tests.admin.conftest import post
from tracker.admin.services import AdminError, attach_focal_point, attach_to_all_assignments
from tracker.extensions import db
from tracker.models import Assignment, Body, Recommendation, Role


def assignment(code: str, body_code: str) -> Assignment:
    return db.session.scalars(
        select(Assignment)
        .join(Assignment.recommendation)
        .join(Assignment.body)
        .where(Recommendation.code == code, Body.code == body_code)
    ).one()


@pytest.fixture
def focal_points(world, make_user):
    return {
        "moj": make_user(Role.FOCAL_POINT, email="fp.moj@example.org", body_code="MOJ"),
        "moha": make_user(Role.FOCAL_POINT, email="fp.moha@example.org", body_code="MOHA"),
    }


def test_the_body_page_lists_its_assignments_and_focal_points(client, focal_points, sign_in):
    sign_in(Role.SECRETARIAT)
    page = client.get("/admin/bodies/MOJ").get_data(as_text=True)
    assert "R-1" in page and "R-2" in page
    assert "fp.moj@example.org" in page and "fp.moha@example.org" not in page


def test_secretariat_attaches_and_detaches_a_focal_point(client, focal_points, sign_in):
    sign_in(Role.SECRETARIAT)
    fp, lead = focal_points["moj"], assignment("R-1", "MOJ")
    response = post(client, f"/admin/assignments/{lead.id}/focal-points", {"user": fp.id})
    assert response.headers["Location"] == "/admin/bodies/MOJ"
    assert lead.focal_points == [fp]
    assert assignment("R-2", "MOJ").focal_points == []
    post(client, f"/admin/assignments/{lead.id}/focal-points/{fp.id}/remove")
    assert lead.focal_points == []


def test_attaching_a_focal_point_of_another_body_is_refused(client, focal_points, sign_in):
    sign_in(Role.SECRETARIAT)
    lead = assignment("R-1", "MOJ")
    response = post(
        client,
        f"/admin/assignments/{lead.id}/focal-points",
        {"user": focal_points["moha"].id},
        follow_redirects=True,
    )
    assert "is a focal point of another body, not of MoJ" in response.get_data(as_text=True)
    assert lead.focal_points == []


def test_only_active_focal_points_can_be_attached(app, focal_points, make_user):
    viewer = make_user(Role.VIEWER, email="viewer@example.org", body_code="MOJ")
    with pytest.raises(AdminError, match="is not a focal point"):
        attach_focal_point(assignment("R-1", "MOJ"), viewer)
    focal_points["moj"].active = False
    with pytest.raises(AdminError, match="is deactivated"):
        attach_focal_point(assignment("R-1", "MOJ"), focal_points["moj"])


def test_make_a_focal_point_responsible_for_all_the_bodys_assignments(
    client, focal_points, sign_in
):
    sign_in(Role.SECRETARIAT)
    fp = focal_points["moj"]
    post(client, f"/admin/assignments/{assignment('R-1', 'MOJ').id}/focal-points", {"user": fp.id})
    response = post(client, f"/admin/bodies/MOJ/focal-points/{fp.id}/all", follow_redirects=True)
    assert "all 2 assignments of MoJ (1 new)" in response.get_data(as_text=True)
    assert assignment("R-1", "MOJ").focal_points == [fp]
    assert assignment("R-2", "MOJ").focal_points == [fp]
    assert assignment("R-1", "MOHA").focal_points == []  # another body's assignment


def test_all_assignments_refuses_another_bodys_focal_point(app, focal_points):
    moj = db.session.scalars(select(Body).where(Body.code == "MOJ")).one()
    with pytest.raises(AdminError, match="another body"):
        attach_to_all_assignments(moj, focal_points["moha"])
    assert all(a.focal_points == [] for a in moj.assignments)
