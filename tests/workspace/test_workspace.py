"""My assignments: a focal point's own body's items, most urgent first."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import csrf_token, login
from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import Recommendation, Role, Status, User
from tracker.updates.services import add_update


@pytest.fixture
def workspace(app, make_user, client):
    today = local_today()
    src = f.source()
    f.body("MOJ")
    f.body("MOHA")

    def due(days):
        return (today + timedelta(days=days)).isoformat()

    f.recommendation(src, "R-LATER", lead="MOJ", deadline=due(200))
    f.recommendation(src, "R-OVERDUE", lead="MOJ", deadline=due(-3))
    f.recommendation(src, "R-SOON", lead="MOJ", deadline=due(10))
    stale = f.recommendation(src, "R-STALE", lead="MOJ", deadline=due(400))
    fresh = f.recommendation(src, "R-FRESH", lead="MOJ", deadline=due(300))
    done = f.recommendation(src, "R-DONE-LATE", lead="MOJ", deadline=due(-30))
    f.recommendation(src, "R-OTHER-BODY", lead="MOHA", deadline=due(-3))
    archived = f.recommendation(src, "R-ARCHIVED", lead="MOJ", deadline=due(-3))
    archived.archived = True
    sec = make_user(Role.SECRETARIAT, email="sec@example.org")
    add_update(
        stale, status=Status.IN_PROGRESS, reported_on=today - timedelta(days=120), validated_by=sec
    )
    add_update(
        fresh, status=Status.IN_PROGRESS, reported_on=today - timedelta(days=5), validated_by=sec
    )
    add_update(
        done, status=Status.IMPLEMENTED, reported_on=today - timedelta(days=40), validated_by=sec
    )
    db.session.commit()
    make_user(Role.FOCAL_POINT, email="fp@moj.example", body_code="MOJ")
    make_user(Role.VIEWER, email="viewer@example.org")
    return today


def order_on(page: str) -> list[str]:
    codes = [
        "R-LATER",
        "R-OVERDUE",
        "R-SOON",
        "R-STALE",
        "R-FRESH",
        "R-DONE-LATE",
        "R-OTHER-BODY",
        "R-ARCHIVED",
    ]
    found = [c for c in codes if f"<strong>{c}</strong>" in page]
    return sorted(found, key=lambda c: page.index(f"<strong>{c}</strong>"))


def test_overdue_first_then_due_soon_then_needing_an_update_then_the_rest(client, workspace):
    login(client, "fp@moj.example")
    page = client.get("/my").get_data(as_text=True)
    # R-LATER has never had an update: it needs one. R-FRESH was updated 5 days ago; the
    # implemented item comes last.
    assert order_on(page) == ["R-OVERDUE", "R-SOON", "R-LATER", "R-STALE", "R-FRESH", "R-DONE-LATE"]
    assert (
        page.index("Overdue") < page.index("Due within 30 days") < page.index("Needing an update")
    )


def test_only_my_bodys_current_items_are_listed(client, workspace):
    login(client, "fp@moj.example")
    page = client.get("/my").get_data(as_text=True)
    assert "R-OTHER-BODY" not in page and "R-ARCHIVED" not in page


def test_section_counts_match_the_items(client, workspace):
    login(client, "fp@moj.example")
    page = client.get("/my").get_data(as_text=True)
    assert "<strong>1</strong> Overdue" in page
    assert "<strong>1</strong> Due within 30 days" in page
    assert "<strong>2</strong> Needing an update" in page
    assert "<strong>2</strong> Other" in page


def test_secretariat_can_open_a_bodys_workspace_viewer_cannot(client, workspace):
    login(client, "sec@example.org")
    assert "MOJ" in client.get("/my").get_data(as_text=True)  # a list of bodies to choose
    assert order_on(client.get("/my?body=MOJ").get_data(as_text=True))[0] == "R-OVERDUE"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "viewer@example.org")
    assert client.get("/my").status_code == 403


def test_a_focal_point_cannot_open_another_bodys_workspace(client, workspace):
    login(client, "fp@moj.example")
    page = client.get("/my?body=MOHA").get_data(as_text=True)
    assert "R-OTHER-BODY" not in page


def test_today_is_the_vientiane_date(app):
    assert abs((local_today() - date.today()).days) <= 1


def test_pages_count_every_item_once(client, workspace, monkeypatch):
    monkeypatch.setitem(client.application.config, "ITEMS_PER_PAGE", 4)
    login(client, "fp@moj.example")
    first = client.get("/my").get_data(as_text=True)
    second = client.get("/my?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert order_on(first) + order_on(second) == [
        "R-OVERDUE",
        "R-SOON",
        "R-LATER",
        "R-STALE",
        "R-FRESH",
        "R-DONE-LATE",
    ]


def test_an_update_reported_within_90_days_means_no_update_is_needed(client, workspace):
    stale = db.session.scalars(select(Recommendation).where(Recommendation.code == "R-STALE")).one()
    sec = db.session.scalars(select(User).where(User.email == "sec@example.org")).one()
    add_update(
        stale,
        status=Status.IN_PROGRESS,
        reported_on=workspace - timedelta(days=90),
        validated_by=sec,
    )
    db.session.commit()
    login(client, "fp@moj.example")
    page = client.get("/my").get_data(as_text=True)
    assert "<strong>1</strong> Needing an update" in page  # R-LATER only: never updated
    assert order_on(page).index("R-STALE") > order_on(page).index("R-LATER")


def test_an_item_with_an_update_waiting_for_validation_says_so(client, workspace):
    soon = db.session.scalars(select(Recommendation).where(Recommendation.code == "R-SOON")).one()
    focal = db.session.scalars(select(User).where(User.email == "fp@moj.example")).one()
    add_update(
        soon,
        status=Status.IN_PROGRESS,
        reported_on=workspace,
        author=focal,
        assignment=soon.lead,
    )
    db.session.commit()
    login(client, "fp@moj.example")
    page = client.get("/my").get_data(as_text=True)
    cards = re.findall(r'<li class="card work-item.*?</li>', page, re.S)
    waiting = [c for c in cards if "Update awaiting validation" in c]
    assert len(waiting) == 1 and "<strong>R-SOON</strong>" in waiting[0]
