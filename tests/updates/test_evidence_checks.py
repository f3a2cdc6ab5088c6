"""What is accepted as an evidence file is decided by its content; names are cleaned."""

from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from tests.updates.conftest import PDF, docx_bytes, odt_bytes, png_bytes, xlsx_bytes
from tracker.updates import evidence as ev


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, ev.PDF),
        (png_bytes(), ev.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, ev.JPEG),
        (docx_bytes(), ev.DOCX),
        (xlsx_bytes(), ev.XLSX),
        (odt_bytes(), ev.ODT),
        (docx_bytes(macros=True), ev.MACROS),
        (b"%PD", None),
        (b"<html><script>alert(1)</script></html>", None),
        (b"PK\x03\x04 broken zip", None),
    ],
)
def test_content_decides_the_type(content, expected):
    assert ev.sniff(io.BytesIO(content)) == expected


def test_a_zip_that_is_not_an_office_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")  # no [Content_Types].xml
        archive.writestr("mimetype", "application/zip")
    assert ev.sniff(buffer) is None


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # no right-to-left override trick
        ("line\nbreak.pdf", "line break.pdf"),
        ('quote".pdf', "quote'.pdf"),
        ("ລາຍງານ ປີ 2024.pdf", "ລາຍງານ ປີ 2024.pdf"),
        ("...", "evidence"),
        ("", "evidence"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_file_names_are_cleaned_but_keep_their_script(given, kept):
    assert ev.clean_filename(given) == kept


def test_refusals_say_why(app):
    with app.test_request_context():
        for name, content, reason in (
            ("empty.pdf", b"", "is empty"),
            ("notes.txt", b"plain text", "is not a document of an accepted kind"),
            ("virus.exe", b"MZ\x90\x00", "is a program, not a document"),
        ):
            with pytest.raises(ev.EvidenceRejected, match=reason):
                ev.inspect_upload(FileStorage(io.BytesIO(content), filename=name), 1024)
        upload = ev.inspect_upload(FileStorage(io.BytesIO(PDF), filename="a.pdf"), 1024)
        assert (upload.filename, upload.content_type, upload.size) == ("a.pdf", ev.PDF, len(PDF))
        assert ev.human_size(20 * 1024 * 1024) == "20 MiB"


def test_only_generated_names_resolve_to_a_stored_file(app):
    with pytest.raises(ValueError):
        ev.path_of("../secret_key")
    assert ev.path_of("0" * 32).name == "0" * 32


def test_evidence_directory_defaults_to_instance_outside_static(tmp_path, monkeypatch):
    from config import DevelopmentConfig
    from tracker import create_app

    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("EVIDENCE_DIR", raising=False)
    monkeypatch.delenv("EVIDENCE_MAX_BYTES", raising=False)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "inst"))
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["EVIDENCE_DIR"] == str(tmp_path / "inst" / "evidence")
    assert app.config["EVIDENCE_MAX_BYTES"] == 20 * 1024 * 1024

    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("EVIDENCE_MAX_BYTES", "5000000")
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["EVIDENCE_DIR"] == str(tmp_path / "elsewhere")
    assert app.config["EVIDENCE_MAX_BYTES"] == 5_000_000
