"""Fixtures for status updates, evidence and validation: two bodies each leading one
recommendation, a focal point of each, the secretariat, and real small evidence files."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from types import SimpleNamespace

import openpyxl
import pytest

from tests import factories as f
from tests.conftest import csrf_token, login
from tracker.extensions import db
from tracker.models import Indicator, Role

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes() -> bytes:
    """A real 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes(*, macros: bool = False) -> bytes:
    """A minimal WordprocessingML package, as Word writes it (fewer parts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        package.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Minutes</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
        if macros:
            package.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Hectares cleared"
    book.active["B1"] = 5815
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored first and uncompressed, as the format requires
        package.writestr("content.xml", "<office:document-content/>")
        package.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


@pytest.fixture
def world(app, make_user, client):
    src = f.source("WS-2023-GENDER", kind=f.SourceKind.WORKSHOP)
    f.body("MOJ")
    f.body("MOHA")
    rec_a = f.recommendation(src, "GEN23-A-01", lead="MOJ", text="Train judges on gender.")
    rec_b = f.recommendation(src, "GEN23-B-01", lead="MOHA", text="Publish a gender plan.")
    indicator = Indicator(
        code="GEN23-IND-1",
        source=src,
        recommendation=rec_a,
        name="Judges trained",
        unit="people",
        target_value=200,
    )
    db.session.add(indicator)
    db.session.commit()
    return SimpleNamespace(
        rec_a=rec_a,
        rec_b=rec_b,
        a=rec_a.lead,
        b=rec_b.lead,
        indicator=indicator,
        focal_a=make_user(Role.FOCAL_POINT, body_code="MOJ", name="Focal MOJ"),
        focal_b=make_user(Role.FOCAL_POINT, body_code="MOHA", name="Focal MOHA"),
        secretariat=make_user(Role.SECRETARIAT, name="Secretariat One"),
        viewer=make_user(Role.VIEWER),
    )


@pytest.fixture
def signed_in(app, client):
    """A new browser signed in as the given user (several may be used in one test)."""

    def sign_in(user):
        browser = app.test_client()
        assert login(browser, user.email).status_code == 302
        return browser

    return sign_in


def post_update(client, assignment_id: int, *, files=(), query: str = "", **fields):
    """Submit the update form as a browser would (multipart, with the CSRF token)."""
    data = {
        "csrf_token": csrf_token(client, "/"),
        "status": "in_progress",
        "percent": "40",
        "reported_on": "2024-03-01",
        "narrative": "Two training sessions held in Vientiane.",
        "links": "",
    }
    data.update(fields)
    data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(
        f"/assignments/{assignment_id}/updates/new{query}",
        data=data,
        content_type="multipart/form-data",
    )
