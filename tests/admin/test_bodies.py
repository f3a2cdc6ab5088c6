"""Responsible bodies: the list, creating and editing them, with errors beside the field."""

from sqlalchemy import select

from tests import factories as f
from tests.admin.conftest import post
from tracker.extensions import db
from tracker.models import AuditEvent, Body, BodyKind, Role

NEW_BODY = {
    "code": "mlsw",
    "acronym": "MLSW",
    "name": "Ministry of Labour and Social Welfare",
    "name_lo": "ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ",
    "kind": "ministry",
    "parent": "",
    "head_email": "Minister@MLSW.gov.la",
}


def body(code: str) -> Body | None:
    return db.session.scalars(select(Body).where(Body.code == code)).first()


def test_secretariat_creates_a_body_with_a_lao_name(client, world, sign_in):
    secretariat = sign_in(Role.SECRETARIAT)
    response = post(client, "/admin/bodies/new", NEW_BODY)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/bodies/MLSW"
    created = body("MLSW")  # codes are kept in capitals, like the seed data's
    assert created.name_lo == "ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ"
    assert (created.kind, created.head_email) == (BodyKind.MINISTRY, "minister@mlsw.gov.la")
    page = client.get("/admin/bodies").get_data(as_text=True)
    assert "ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ" in page and "minister@mlsw.gov.la" in page
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "Body", AuditEvent.entity_id == created.id)
    ).one()
    assert event.actor_id == secretariat.id and event.action == "insert"


def test_body_list_shows_parent_and_number_of_assignments(client, world, sign_in):
    f.body("MOJ-LAW", name="Law department", kind=BodyKind.DEPARTMENT, parent=body("MOJ"))
    db.session.commit()
    sign_in(Role.ADMIN)
    page = client.get("/admin/bodies").get_data(as_text=True)
    moj_row = page[page.index(">MOJ</a>") :].split("</tr>")[0]
    assert "<td>2</td>" in moj_row  # lead of
    law_row = page[page.index(">MOJ-LAW</a>") :].split("</tr>")[0]
    assert "<td>MoJ</td>" in law_row and "Department" in law_row


def test_duplicate_code_is_refused_with_the_field_error(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    response = post(client, "/admin/bodies/new", {**NEW_BODY, "code": "moj"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = page[page.index('id="code"') :].split("</div>")[0]
    assert "Another body already has the code MOJ" in error
    assert 'value="Ministry of Labour and Social Welfare"' in page  # what was typed is kept
    assert body("MLSW") is None


def test_bad_head_email_is_refused_beside_its_field(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    response = post(client, "/admin/bodies/new", {**NEW_BODY, "head_email": "minister at mlsw"})
    page = response.get_data(as_text=True)
    error = page[page.index('id="head_email"') :].split("</div>")[0]
    assert "“minister at mlsw” is not an email address" in error
    assert body("MLSW") is None


def test_code_with_spaces_or_semicolons_is_refused(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    page = post(client, "/admin/bodies/new", {**NEW_BODY, "code": "ML; SW"}).get_data(as_text=True)
    assert "capital letters, digits, dots, dashes or underscores" in page
    assert db.session.scalars(select(Body).where(Body.name.like("%Labour%"))).first() is None


def test_parent_cycle_is_refused_beside_the_parent_field(client, world, sign_in):
    moj = body("MOJ")
    f.body("MOJ-LAW", kind=BodyKind.DEPARTMENT, parent=moj)
    db.session.commit()
    sign_in(Role.SECRETARIAT)
    edit = client.get("/admin/bodies/MOJ/edit").get_data(as_text=True)
    assert 'value="MOJ-LAW"' not in edit  # a sub-body is not offered as the parent
    data = {"code": "MOJ", "name": "Ministry of Justice", "kind": "ministry", "parent": "MOJ-LAW"}
    response = post(client, "/admin/bodies/MOJ/edit", data)
    page = response.get_data(as_text=True)
    error = page[page.index('id="parent"') :].split("</div>")[0]
    assert "A body cannot be part of one of its own sub-bodies (MOJ-LAW is under MOJ)" in error
    assert body("MOJ").parent is None
    itself = post(client, "/admin/bodies/MOJ/edit", {**data, "parent": "MOJ"})
    assert "A body cannot be part of itself" in itself.get_data(as_text=True)


def test_edit_changes_names_and_parent(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    data = {
        "code": "MOHA",
        "acronym": "MoHA",
        "name": "Ministry of Home Affairs",
        "name_lo": "ກະຊວງພາຍໃນ",
        "kind": "ministry",
        "parent": "MOJ",
        "head_email": "",
    }
    assert post(client, "/admin/bodies/MOHA/edit", data).status_code == 302
    moha = body("MOHA")
    assert (moha.name_lo, moha.parent.code, moha.head_email) == ("ກະຊວງພາຍໃນ", "MOJ", None)


def test_code_is_fixed_once_assignments_use_it(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    edit = client.get("/admin/bodies/MOJ/edit").get_data(as_text=True)
    assert "readonly" in edit[edit.index('id="code"') - 200 : edit.index('id="code"') + 200]
    data = {"code": "MOJ2", "name": "Ministry of Justice", "kind": "ministry"}
    page = post(client, "/admin/bodies/MOJ/edit", data).get_data(as_text=True)
    assert "The code cannot change" in page
    assert body("MOJ") is not None and body("MOJ2") is None


def test_an_unused_code_can_still_be_corrected(client, world, sign_in):
    f.body("MLWS", name="Ministry of Labour")
    db.session.commit()
    sign_in(Role.ADMIN)
    data = {"code": "MLSW", "name": "Ministry of Labour", "kind": "ministry"}
    response = post(client, "/admin/bodies/MLWS/edit", data)
    assert response.headers["Location"] == "/admin/bodies/MLSW"
    assert body("MLWS") is None and body("MLSW") is not None


def test_unknown_body_is_404(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    assert client.get("/admin/bodies/NOPE").status_code == 404
    assert client.get("/admin/bodies/NOPE/edit").status_code == 404
