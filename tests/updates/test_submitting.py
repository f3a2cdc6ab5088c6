"""A focal point reports progress on their body's assignment with evidence files and links."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import csrf_token
from tests.updates.conftest import (
    PDF,
    docx_bytes,
    odt_bytes,
    png_bytes,
    post_update,
    xlsx_bytes,
)
from tracker.extensions import db
from tracker.models import Evidence, ReviewState, Status, StatusUpdate
from tracker.updates import evidence as ev
from tracker.updates.services import UpdateError, submit_update


def updates_of(rec) -> list[StatusUpdate]:
    return db.session.scalars(
        select(StatusUpdate).where(StatusUpdate.recommendation_id == rec.id)
    ).all()


def test_focal_point_submits_update_with_every_accepted_kind_of_file_and_a_link(
    world, signed_in, app
):
    browser = signed_in(world.focal_a)
    response = post_update(
        browser,
        world.a.id,
        files=[
            ("minutes.pdf", PDF),
            ("photo.png", png_bytes()),
            ("report.docx", docx_bytes()),
            ("figures.xlsx", xlsx_bytes()),
            ("notes.odt", odt_bytes()),
        ],
        links="https://moj.gov.la/news/training\n",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/recommendations/GEN23-A-01")

    (update,) = updates_of(world.rec_a)
    assert update.review_state is ReviewState.SUBMITTED
    assert update.status is Status.IN_PROGRESS and update.percent == 40
    assert update.reported_on == date(2024, 3, 1)
    assert update.author_id == world.focal_a.id and update.assignment_id == world.a.id
    kinds = {e.filename: e.content_type for e in update.evidence if e.stored_name}
    assert kinds == {
        "minutes.pdf": ev.PDF,
        "photo.png": ev.PNG,
        "report.docx": ev.DOCX,
        "figures.xlsx": ev.XLSX,
        "notes.odt": ev.ODT,
    }
    assert [e.url for e in update.evidence if e.url] == ["https://moj.gov.la/news/training"]
    assert all(e.uploaded_by_id == world.focal_a.id for e in update.evidence)
    pdf = next(e for e in update.evidence if e.filename == "minutes.pdf")
    assert pdf.size == len(PDF) and pdf.created_at is not None
    # Submitting does not move the recommendation's status: only validation does.
    assert world.rec_a.status is Status.NOT_STARTED


def test_evidence_is_stored_outside_static_under_a_random_name(world, signed_in, app):
    post_update(signed_in(world.focal_a), world.a.id, files=[("minutes.pdf", PDF)])
    item = db.session.scalars(select(Evidence)).one()
    stored = Path(app.config["EVIDENCE_DIR"]) / item.stored_name
    assert stored.read_bytes() == PDF
    assert len(item.stored_name) == 32 and "minutes" not in item.stored_name
    assert Path(app.static_folder).resolve() not in stored.resolve().parents
    assert oct(stored.stat().st_mode & 0o777) == "0o600"


def test_update_appears_in_the_recommendation_timeline_with_its_evidence(world, signed_in):
    browser = signed_in(world.focal_a)
    post_update(browser, world.a.id, files=[("minutes.pdf", PDF)], links="https://moj.gov.la/a")
    item = db.session.scalars(select(Evidence).where(Evidence.stored_name.is_not(None))).one()
    page = browser.get("/recommendations/GEN23-A-01").get_data(as_text=True)
    assert "Two training sessions held in Vientiane." in page
    assert f'href="/evidence/{item.id}"' in page and "minutes.pdf" in page
    assert "Focal MOJ" in page and "Submitted" in page
    assert 'href="https://moj.gov.la/a" rel="noopener noreferrer nofollow"' in page


def test_text_named_like_a_pdf_is_refused_saying_why_and_the_form_keeps_what_was_typed(
    world, signed_in
):
    response = post_update(
        signed_in(world.focal_a),
        world.a.id,
        files=[("report.pdf", b"Just some text, not a PDF at all.\n")],
        narrative="Typed with care.",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“report.pdf” is named like a PDF file but its content is not one." in page
    assert "checked by their content" in page
    assert "Typed with care.</textarea>" in page
    assert updates_of(world.rec_a) == []
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0


def test_renamed_program_is_refused(world, signed_in, app):
    before = set(os.listdir(app.config["EVIDENCE_DIR"]))
    response = post_update(
        signed_in(world.focal_a),
        world.a.id,
        files=[("minutes.pdf", PDF), ("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)],
    )
    assert response.status_code == 422
    assert "“setup.pdf” is a program, not a document." in response.get_data(as_text=True)
    assert updates_of(world.rec_a) == []
    # Nothing was written for the good file either: all or nothing.
    assert set(os.listdir(app.config["EVIDENCE_DIR"])) == before


def test_macro_enabled_document_is_refused(world, signed_in):
    response = post_update(
        signed_in(world.focal_a), world.a.id, files=[("plan.docx", docx_bytes(macros=True))]
    )
    assert response.status_code == 422
    assert "contains macros" in response.get_data(as_text=True)


def test_file_over_the_size_limit_is_refused_with_the_limit(world, signed_in, app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    response = post_update(
        signed_in(world.focal_a), world.a.id, files=[("big.pdf", PDF + b" " * 2048)]
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“big.pdf” is 2.1 KiB; files may be at most 1 KiB." in page
    assert updates_of(world.rec_a) == []


def test_an_upload_far_too_large_is_refused_before_it_is_read(world, signed_in, app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    browser = signed_in(world.focal_a)
    # Encoded in memory: the test client would spool a body this large to an unclosed file.
    boundary, body = encode_multipart(
        {
            "csrf_token": csrf_token(browser, "/"),
            "narrative": "x",
            "files": FileStorage(io.BytesIO(PDF + b" " * 2 * 1024**2), "huge.pdf"),
        }
    )
    response = browser.post(
        f"/assignments/{world.a.id}/updates/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 303
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "The upload is too large: at most 10 files of 1 KiB each." in page
    assert updates_of(world.rec_a) == []


def test_javascript_and_other_non_web_links_are_refused(world, signed_in):
    browser = signed_in(world.focal_a)
    for link in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "ftp://x/y"):
        response = post_update(browser, world.a.id, links=f"https://ok.example/\n{link}")
        assert response.status_code == 422, link
        assert "links must start with http:// or https://" in response.get_data(as_text=True)
    assert updates_of(world.rec_a) == []


def test_action_date_in_the_future_and_percent_out_of_range_are_refused(world, signed_in):
    response = post_update(
        signed_in(world.focal_a), world.a.id, reported_on="2999-01-01", percent="140"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The date of the action cannot be in the future." in page
    assert "Between 0 and 100." in page


def test_focal_point_cannot_submit_on_another_bodys_assignment_nor_an_unknown_one(world, signed_in):
    browser = signed_in(world.focal_a)
    assert browser.get(f"/assignments/{world.b.id}/updates/new").status_code == 403
    assert post_update(browser, world.b.id).status_code == 403
    assert browser.get("/assignments/999999/updates/new").status_code == 404
    assert updates_of(world.rec_b) == []


def test_viewer_cannot_submit_and_anonymous_is_sent_to_sign_in(world, signed_in, client):
    assert signed_in(world.viewer).get(f"/assignments/{world.a.id}/updates/new").status_code == 403
    response = client.get(f"/assignments/{world.a.id}/updates/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_submission_without_csrf_token_is_refused(world, signed_in):
    browser = signed_in(world.focal_a)
    response = browser.post(
        f"/assignments/{world.a.id}/updates/new",
        data={"status": "implemented", "reported_on": "2024-03-01", "narrative": "x"},
    )
    assert response.status_code == 400
    assert updates_of(world.rec_a) == []


def test_evidence_downloads_only_when_signed_in_as_an_attachment_with_its_original_name(
    world, signed_in, client
):
    post_update(signed_in(world.focal_a), world.a.id, files=[("ລາຍງານ 2024.pdf", PDF)])
    item = db.session.scalars(select(Evidence)).one()

    anonymous = client.get(f"/evidence/{item.id}")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    with signed_in(world.viewer).get(f"/evidence/{item.id}") as response:
        assert response.status_code == 200
        assert response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E0%BA%A5%E0%BA%B2%E0%BA%8D%E0%BA%87%E0%BA%B2%E0%BA%99%202024.pdf" in (
        disposition
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert signed_in(world.viewer).get("/evidence/999999").status_code == 404


def test_a_link_has_no_download(world, signed_in):
    browser = signed_in(world.focal_a)
    post_update(browser, world.a.id, links="https://moj.gov.la/a")
    item = db.session.scalars(select(Evidence)).one()
    assert browser.get(f"/evidence/{item.id}").status_code == 404


def test_secretariat_may_submit_on_any_assignment(world, signed_in):
    assert post_update(signed_in(world.secretariat), world.b.id).status_code == 302
    (update,) = updates_of(world.rec_b)
    assert update.review_state is ReviewState.SUBMITTED


def test_submit_update_service_checks_files_given_as_uploads_by_another_page(world, app):
    """The focal-point workspace calls the service directly with what the browser sent."""
    with app.test_request_context():
        _submit_directly(world)


def _submit_directly(world):
    good = FileStorage(io.BytesIO(PDF), filename="../../etc/minutes.pdf")
    update = submit_update(
        world.a,
        world.focal_a,
        status=Status.PARTIALLY_IMPLEMENTED,
        percent=60,
        reported_on=date(2024, 5, 2),
        narrative="Plan drafted.",
        files=[good, FileStorage(io.BytesIO(b""), filename="")],  # an empty file input
        links=["https://moj.gov.la/plan"],
        today=date(2024, 5, 2),
    )
    assert [e.filename for e in update.evidence] == ["minutes.pdf", None]
    bad = FileStorage(io.BytesIO(b"<html>"), filename="plan.pdf")
    for kwargs, field in (
        ({"files": [bad]}, "files"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"reported_on": date(2024, 5, 3)}, "reported_on"),
        ({"percent": 101}, "percent"),
        ({"narrative": "  "}, "narrative"),
    ):
        arguments = {
            "status": Status.IN_PROGRESS,
            "percent": None,
            "reported_on": date(2024, 5, 2),
            "narrative": "x",
            "today": date(2024, 5, 2),
        } | kwargs
        try:
            submit_update(world.a, world.focal_a, **arguments)
        except UpdateError as error:
            assert error.field == field
        else:
            raise AssertionError(f"{kwargs} was accepted")
    try:
        submit_update(
            world.b,
            world.focal_a,
            status=Status.IN_PROGRESS,
            percent=None,
            reported_on=date(2024, 5, 2),
            narrative="x",
        )
    except PermissionError:
        pass
    else:
        raise AssertionError("a focal point updated another body's assignment")
