"""The secretariat registers, edits, archives and assigns; nobody else can."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import csrf_token, login
from tracker.extensions import db
from tracker.models import AuditEvent, DeadlinePrecision, Recommendation, Role
from tracker.register.services import cluster_by_path


@pytest.fixture
def setup(app, make_user, client):
    src = f.source("UPR-3")
    f.body("MOJ")
    f.body("MOHA")
    f.sdg_target("16.3")
    cluster_by_path(src, ["B. Civil and political rights"])
    f.recommendation(
        src,
        "UPR3-B-01",
        lead="MOJ",
        deadline="quarter 1/2024",
        text="Strengthen the independence of the judiciary.",
    )
    f.recommendation(src, "UPR3-B-02", text="Ensure fair trials.")
    db.session.commit()
    make_user(Role.SECRETARIAT, email="sec@example.org")
    make_user(Role.VIEWER, email="viewer@example.org")
    make_user(Role.FOCAL_POINT, email="fp@moj.example", body_code="MOJ")
    return src


def rec(code: str) -> Recommendation:
    db.session.expire_all()
    return db.session.scalars(select(Recommendation).where(Recommendation.code == code)).one()


def post(client, path, data, token_from="/"):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from)})


def new_form(**overrides):
    data = {
        "code": "UPR3-B-03",
        "source": "UPR-3",
        "cluster": "0",
        "position": "supported",
        "text": "Abolish the death penalty.",
        "text_lo": "ຍົກເລີກໂທດປະຫານຊີວິດ",
        "recommending_states": "France; Mexico",
        "sdg_targets": ["16.3"],
        "published": "y",
    }
    data.update(overrides)
    return data


def test_secretariat_creates_a_recommendation_with_lao_text_and_states(client, setup):
    login(client, "sec@example.org")
    response = post(client, "/recommendations/new", new_form())
    assert response.status_code == 302
    created = rec("UPR3-B-03")
    assert created.text_lo == "ຍົກເລີກໂທດປະຫານຊີວິດ"
    assert [c.name for c in created.states] == ["France", "Mexico"]
    assert [t.code for t in created.sdg_targets] == ["16.3"]
    assert created.published
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "Recommendation", AuditEvent.recommendation_id == created.id
        )
    ).first()
    assert event.actor_label == "sec@example.org"


def test_form_errors_are_shown_beside_the_field_and_typing_is_kept(client, setup):
    login(client, "sec@example.org")
    response = post(client, "/recommendations/new", new_form(code="UPR3-B-01", text="Kept text"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "the code UPR3-B-01 is already used" in page
    assert "Kept text" in page
    response = post(client, "/recommendations/new", new_form(code="bad code!", text=""))
    page = response.get_data(as_text=True)
    assert "Use letters, digits" in page and "This field is required." in page
    assert (
        db.session.scalars(select(Recommendation).where(Recommendation.code == "bad code!")).first()
        is None
    )


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(client, setup):
    login(client, "sec@example.org")
    old_version = rec("UPR3-B-01").version
    item = rec("UPR3-B-01")
    item.text = "Changed by a colleague"
    db.session.commit()
    data = new_form(code="UPR3-B-01", text="My edit", version=str(old_version))
    response = post(client, "/recommendations/UPR3-B-01/edit", data)
    assert "Someone else changed this recommendation" in response.get_data(as_text=True)
    assert rec("UPR3-B-01").text == "Changed by a colleague"


def test_edit_with_the_current_version_saves(client, setup):
    login(client, "sec@example.org")
    data = new_form(code="UPR3-B-01", text="Edited", version=str(rec("UPR3-B-01").version))
    assert post(client, "/recommendations/UPR3-B-01/edit", data).status_code == 302
    assert rec("UPR3-B-01").text == "Edited"


def test_archive_hides_from_the_register_and_restore_brings_back(client, setup):
    login(client, "sec@example.org")
    version = rec("UPR3-B-02").version
    post(client, "/recommendations/UPR3-B-02/archive", {"version": version})
    assert rec("UPR3-B-02").archived
    assert ">UPR3-B-02</a>" not in client.get("/").get_data(as_text=True)
    assert ">UPR3-B-02</a>" in client.get("/?archived=1").get_data(as_text=True)
    post(client, "/recommendations/UPR3-B-02/archive", {"version": rec("UPR3-B-02").version})
    assert not rec("UPR3-B-02").archived


def test_assigning_a_new_lead_demotes_the_former_lead(client, setup):
    login(client, "sec@example.org")
    response = post(
        client,
        "/recommendations/UPR3-B-01/assignments/new",
        {"body": "MOHA", "role": "lead", "deadline_text": "by March 2025", "precision": "day"},
    )
    assert response.status_code == 302
    item = rec("UPR3-B-01")
    assert item.lead.body.code == "MOHA"
    assert (item.lead.deadline, item.lead.deadline_precision) == (
        date(2025, 3, 31),
        DeadlinePrecision.MONTH,
    )
    assert [a.body.code for a in item.supporting] == ["MOJ"]


def test_an_exact_deadline_overrides_the_text_and_keeps_it(client, setup):
    login(client, "sec@example.org")
    assignment = rec("UPR3-B-01").lead
    post(
        client,
        f"/assignments/{assignment.id}/edit",
        {
            "body": "MOJ",
            "role": "lead",
            "deadline_text": "quarter 4/year?",
            "deadline": "2025-11-15",
            "precision": "day",
        },
    )
    lead = rec("UPR3-B-01").lead
    assert (lead.deadline, lead.deadline_precision, lead.deadline_text) == (
        date(2025, 11, 15),
        DeadlinePrecision.DAY,
        "quarter 4/year?",
    )


def test_remove_an_assignment(client, setup):
    login(client, "sec@example.org")
    post(client, f"/assignments/{rec('UPR3-B-01').lead.id}/delete", {})
    assert rec("UPR3-B-01").assignments == []


def test_bulk_assignment_of_the_ticked_items(client, setup):
    login(client, "sec@example.org")
    form = client.get("/bulk-assign?source=UPR-3&codes=UPR3-B-02").get_data(as_text=True)
    assert 'value="UPR3-B-02" checked' in form and 'value="UPR3-B-01" checked' not in form
    response = client.post(
        "/bulk-assign?source=UPR-3",
        data={
            "csrf_token": csrf_token(client, "/bulk-assign"),
            "codes": ["UPR3-B-01", "UPR3-B-02"],
            "body": "MOHA",
            "role": "supporting",
            "deadline_text": "2026",
            "precision": "day",
        },
    )
    assert response.status_code == 302
    for code in ("UPR3-B-01", "UPR3-B-02"):
        assert "MOHA" in [a.body.code for a in rec(code).assignments]


def test_bulk_assignment_needs_at_least_one_item(client, setup):
    login(client, "sec@example.org")
    response = client.post(
        "/bulk-assign",
        data={
            "csrf_token": csrf_token(client, "/bulk-assign"),
            "body": "MOHA",
            "role": "lead",
            "precision": "day",
        },
    )
    assert "Select at least one recommendation." in response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["viewer@example.org", "fp@moj.example"])
def test_only_the_secretariat_edits_the_register(client, setup, email):
    login(client, email)
    assignment_id = rec("UPR3-B-01").lead.id
    for method, path in [
        ("get", "/recommendations/new"),
        ("get", "/recommendations/UPR3-B-01/edit"),
        ("post", "/recommendations/UPR3-B-01/archive"),
        ("get", "/recommendations/UPR3-B-01/assignments/new"),
        ("get", f"/assignments/{assignment_id}/edit"),
        ("post", f"/assignments/{assignment_id}/delete"),
        ("get", "/bulk-assign"),
    ]:
        response = client.get(path) if method == "get" else post(client, path, {"version": "1"})
        assert response.status_code == 403, path
    assert rec("UPR3-B-01").lead is not None and not rec("UPR3-B-01").archived


def test_bulk_assignment_refuses_a_filter_too_large_to_review(client, setup, monkeypatch):
    monkeypatch.setattr("tracker.register.editing.BULK_LIMIT", 1)
    login(client, "sec@example.org")
    response = client.get("/bulk-assign?source=UPR-3", follow_redirects=True)
    assert "narrow the filter first" in response.get_data(as_text=True)
