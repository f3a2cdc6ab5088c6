"""The register keeps its filter options and its counts between requests
(tracker/register/choices.py): whatever the secretariat changes shows on the next page at once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import csrf_token, login
from tracker.extensions import db
from tracker.models import Cluster, Role
from tracker.register.services import cluster_by_path

NEW_BODY = {
    "code": "mlsw",
    "acronym": "MLSW",
    "name": "Ministry of Labour and Social Welfare",
    "name_lo": "ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ",
    "kind": "ministry",
    "parent": "",
    "head_email": "",
}


@pytest.fixture
def register(app, make_user):
    src = f.source("UPR-3")
    f.body("MOJ", name="Ministry of Justice", name_lo="ກະຊວງຍຸຕິທຳ", acronym="MoJ")
    health = cluster_by_path(src, ["C. Economic, social and cultural rights", "Right to health"])
    f.recommendation(src, "R-1", lead="MOJ", cluster=health, text="Universal health coverage.")
    f.recommendation(src, "R-2", lead="MOJ", text="Health workers in every district.")
    db.session.commit()
    make_user(Role.SECRETARIAT, email="sec@example.org")
    make_user(Role.VIEWER, email="viewer@example.org")
    make_user(Role.VIEWER, email="viewer.lo@example.org", language="lo")
    return src


def select_options(page: str, name: str) -> list[str]:
    """The labels of a select's options, as the reader sees them (first: "All …")."""
    field = page[page.index(f'<select id="{name}"') :].split("</select>")[0]
    return re.findall(r"<option [^>]*>([^<]*)</option>", field)


def test_a_new_body_is_offered_by_the_filters_at_once(client, register):
    login(client, "sec@example.org")
    assert select_options(client.get("/").get_data(as_text=True), "body")[1:] == [
        "MoJ — Ministry of Justice"
    ]
    token = csrf_token(client, "/")
    response = client.post("/admin/bodies/new", data={**NEW_BODY, "csrf_token": token})
    assert response.status_code == 302
    expected = ["MLSW — Ministry of Labour and Social Welfare", "MoJ — Ministry of Justice"]
    assert select_options(client.get("/").get_data(as_text=True), "body")[1:] == expected
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert select_options(dashboard, "body")[1:] == expected
    assert '<option value="MLSW" selected>' in client.get("/?body=MLSW").get_data(as_text=True)


def test_a_renamed_or_new_cluster_shows_in_the_filter_at_once(client, register):
    login(client, "viewer@example.org")
    before = select_options(client.get("/").get_data(as_text=True), "cluster")
    assert before[1:] == [
        "UPR-3: C. Economic, social and cultural rights",
        "UPR-3: — Right to health",
    ]
    health = db.session.scalars(select(Cluster).where(Cluster.title == "Right to health")).one()
    health.title = "Health"
    cluster_by_path(register, ["C. Economic, social and cultural rights", "Right to education"])
    db.session.commit()
    assert select_options(client.get("/").get_data(as_text=True), "cluster")[1:] == [
        "UPR-3: C. Economic, social and cultural rights",
        "UPR-3: — Health",
        "UPR-3: — Right to education",
    ]


def test_the_count_follows_new_and_archived_items_at_once(client, register):
    login(client, "viewer@example.org")
    assert "2 recommendations" in client.get("/?q=health").get_data(as_text=True)
    f.recommendation(register, "R-3", lead="MOJ", text="Mental health services.")
    db.session.commit()
    assert "3 recommendations" in client.get("/?q=health").get_data(as_text=True)
    assert "3 recommendations" in client.get("/?q=health&page=2").get_data(as_text=True)
    rec = f.recommendation(register, "R-4", lead="MOJ", text="Health budget.")
    db.session.commit()
    rec.archived = True
    db.session.commit()
    assert "3 recommendations" in client.get("/?q=health").get_data(as_text=True)
    assert "1 recommendation" in client.get("/?q=health&archived=1").get_data(as_text=True)


def test_filter_labels_are_in_each_readers_language(client, register):
    login(client, "viewer.lo@example.org")
    assert select_options(client.get("/").get_data(as_text=True), "body")[1:] == ["MoJ — ກະຊວງຍຸຕິທຳ"]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "viewer@example.org")
    assert select_options(client.get("/").get_data(as_text=True), "body")[1:] == [
        "MoJ — Ministry of Justice"
    ]
