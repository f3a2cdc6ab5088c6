"""Import in the browser: upload, dry-run preview, confirm; all or nothing."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests.conftest import csrf_token, login
from tracker.exchange.columns import COLUMNS
from tracker.extensions import db
from tracker.models import Recommendation, Role


@pytest.fixture
def world(app, make_user, client):
    src = f.source("UPR-3")
    f.body("MOJ")
    f.recommendation(src, "UPR3-B-01", lead="MOJ", text="Old text")
    db.session.commit()
    make_user(Role.SECRETARIAT, email="sec@example.org")
    make_user(Role.VIEWER, email="viewer@example.org")
    login(client, "sec@example.org")


def sheet(*rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(dict.fromkeys(COLUMNS, "") | row)
    return buffer.getvalue().encode("utf-8")


ROW_UPDATE = {
    "code": "UPR3-B-01",
    "source_kind": "UPR",
    "source": "UPR-3",
    "text": "New text",
    "lead_body": "MOJ",
}
ROW_NEW = {
    "code": "UPR3-B-02",
    "source_kind": "UPR",
    "source": "UPR-3",
    "text": "ຂໍ້ແນະນຳໃໝ່",
    "lead_body": "MOJ",
    "deadline_text": "quarter 2/2026",
}


def upload(client, data: bytes, name: str = "edits.csv"):
    return client.post(
        "/import",
        data={"csrf_token": csrf_token(client, "/import"), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Recommendation))


def text_of(code: str) -> str:
    db.session.expire_all()
    return db.session.scalars(select(Recommendation).filter_by(code=code)).one().text


def test_preview_shows_what_would_change_and_writes_nothing(client, world):
    page = upload(client, sheet(ROW_UPDATE, ROW_NEW)).get_data(as_text=True)
    assert "<strong>1</strong> to create" in page and "<strong>1</strong> to update" in page
    assert "UPR3-B-02" in page and "Import now" in page
    assert count() == 1 and text_of("UPR3-B-01") == "Old text"


def test_confirm_imports_exactly_what_was_previewed(client, world):
    page = upload(client, sheet(ROW_UPDATE, ROW_NEW)).get_data(as_text=True)
    token = page.split('action="/import/')[1].split('"')[0]
    response = client.post(
        f"/import/{token}", data={"csrf_token": csrf_token(client, "/import"), "token": token}
    )
    assert response.status_code == 302
    assert count() == 2 and text_of("UPR3-B-01") == "New text"
    assert text_of("UPR3-B-02") == "ຂໍ້ແນະນຳໃໝ່"
    # The same token cannot be used twice.
    again = client.post(
        f"/import/{token}",
        data={"csrf_token": csrf_token(client, "/import"), "token": token},
        follow_redirects=True,
    )
    assert "no longer pending" in again.get_data(as_text=True)


def test_errors_are_listed_by_row_and_column_and_no_confirm_is_offered(client, world):
    bad = dict(ROW_NEW, lead_body="NOPE")
    page = upload(client, sheet(ROW_UPDATE, bad)).get_data(as_text=True)
    assert "row 3, column lead_body: unknown body &#39;NOPE&#39;" in page
    assert "nothing will be imported" in page and "Import now" not in page
    assert count() == 1 and text_of("UPR3-B-01") == "Old text"


def test_a_token_from_another_session_is_refused(client, world, app):
    page = upload(client, sheet(ROW_NEW)).get_data(as_text=True)
    token = page.split('action="/import/')[1].split('"')[0]
    other = app.test_client()
    login(other, "sec@example.org")
    response = other.post(
        f"/import/{token}", data={"csrf_token": csrf_token(other, "/import"), "token": token}
    )
    assert response.status_code == 302 and count() == 1


def test_wrong_file_type_is_refused_beside_the_field(client, world):
    response = upload(client, b"MZ\x90\x00", "tool.exe")
    assert response.status_code == 422
    assert "Use a .csv or .xlsx file" in response.get_data(as_text=True)


def test_only_the_secretariat_imports(client, world):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "viewer@example.org")
    assert client.get("/import").status_code == 403
