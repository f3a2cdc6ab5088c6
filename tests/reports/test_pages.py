"""Reports in the browser: the preview is the report the files hold, a generated file is kept
in the history and can be fetched again, the secretariat edits the cover."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import csrf_token, login
from tests.reports.conftest import LAO_TEXT
from tracker.extensions import db
from tracker.models import GeneratedReport, ReportCover, Role


def sign_in(client, make_user, role=Role.SECRETARIAT, email="writer@example.org"):
    make_user(role, email=email)
    assert login(client, email).status_code == 302


def test_preview_shows_the_report_as_of_the_day_asked(client, make_user, small_upr):
    sign_in(client, make_user, Role.VIEWER, "viewer@example.org")
    page = client.get("/reports/midterm/UPR-T?as_of=2024-03-31").get_data(as_text=True)
    assert "Status as of 2024-03-31" in page
    assert LAO_TEXT in page
    assert "Rural clinics opened in two provinces." in page
    assert "ຄລີນິກ opened in every province." not in page  # validated in June
    later = client.get("/reports/midterm/UPR-T?as_of=2024-06-30").get_data(as_text=True)
    assert "ຄລີນິກ opened in every province." in later
    assert 'name="format"' not in page  # viewers read; they do not generate


def test_preview_with_pending_lists_them_apart(client, make_user, small_upr):
    sign_in(client, make_user)
    page = client.get("/reports/midterm/UPR-T?as_of=2024-03-31&include_pending=1")
    assert "Updates awaiting validation" in page.get_data(as_text=True)
    assert "Legal aid decree drafted." in page.get_data(as_text=True)


def test_a_bad_as_of_date_is_named_and_nothing_is_made(client, make_user, small_upr):
    sign_in(client, make_user)
    response = client.get("/reports/midterm/UPR-T?as_of=31/03/2024", follow_redirects=True)
    assert "“As of” must be a date written YYYY-MM-DD." in response.get_data(as_text=True)
    token = csrf_token(client, "/reports")
    response = client.post(
        "/reports/midterm/UPR-T", data={"csrf_token": token, "as_of": "soon", "format": "pdf"}
    )
    assert response.status_code == 400
    assert "Not a valid date value." in response.get_data(as_text=True)
    assert db.session.scalar(select(GeneratedReport)) is None


def test_a_report_of_the_wrong_kind_of_source_is_not_found(client, make_user, small_upr):
    sign_in(client, make_user)
    assert client.get("/reports/swg/UPR-T").status_code == 404


def test_generated_file_is_kept_in_the_history_and_fetched_again(client, make_user, small_upr):
    sign_in(client, make_user)
    token = csrf_token(client, "/reports")
    response = client.post(
        "/reports/midterm/UPR-T",
        data={"csrf_token": token, "as_of": "2024-03-31", "format": "xlsx"},
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert "midterm-UPR-T-2024-03-31.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.worksheets[0]["B6"].value == "2024-03-31"
    row = db.session.scalar(select(GeneratedReport))
    assert (row.kind, row.as_of.isoformat(), row.format, row.author.email) == (
        "midterm",
        "2024-03-31",
        "xlsx",
        "writer@example.org",
    )
    history = client.get("/reports").get_data(as_text=True)
    assert f'href="/reports/files/{row.id}"' in history
    assert "midterm-UPR-T-2024-03-31.xlsx" in history
    again = client.get(f"/reports/files/{row.id}")
    data = again.data
    again.close()  # a file response: close it, as a server would
    assert data == response.data


def test_the_cover_is_edited_in_english_and_lao_and_shown_in_the_report(
    client, make_user, small_upr
):
    sign_in(client, make_user)
    form = client.get("/reports/cover/UPR-T").get_data(as_text=True)
    assert "Voluntary mid-term report of the Lao People&#39;s Democratic Republic" in form
    assert "third cycle of the Universal Periodic Review" in form
    response = client.post(
        "/reports/cover/UPR-T",
        data={
            "csrf_token": csrf_token(client, "/reports/cover/UPR-T"),
            "title": "Mid-term report 2024",
            "title_lo": "ບົດລາຍງານກາງສະໄໝ 2024",
            "subtitle": "",  # cleared
            "introduction": "Prepared by the NSC secretariat.",
            "introduction_lo": "ກະກຽມໂດຍ ກອງເລຂາ",
        },
    )
    assert response.status_code == 302
    cover = db.session.scalar(select(ReportCover))
    assert (cover.title_lo, cover.subtitle) == ("ບົດລາຍງານກາງສະໄໝ 2024", None)
    page = client.get("/reports/midterm/UPR-T").get_data(as_text=True)
    assert re.search(r'<p class="report-title-lo" lang="lo">ບົດລາຍງານກາງສະໄໝ 2024</p>', page)
    assert '<p lang="lo">ກະກຽມໂດຍ ກອງເລຂາ</p>' in page


def test_a_cover_without_a_title_is_refused(client, make_user, small_upr):
    sign_in(client, make_user)
    response = client.post(
        "/reports/cover/UPR-T",
        data={"csrf_token": csrf_token(client, "/reports/cover/UPR-T"), "title": " "},
    )
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    assert db.session.scalar(select(ReportCover)) is None
