"""Evidence files: what is accepted (decided by content, never by name), the size limit, and
storage outside static/ under a random name. Downloads go through an authorised route only."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import abort, current_app, send_file
from flask_babel import format_decimal
from flask_babel import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ACCEPTED = (PDF, DOCX, XLSX, ODT, JPEG, PNG)
MACROS = "application/vnd.ms-office.macroEnabled"  # recognised, to be refused with a reason

# What a name promises, only to explain a refusal ("named like a PDF but it is not one").
_NAMED_AS = {
    ".pdf": "PDF",
    ".docx": "DOCX",
    ".xlsx": "XLSX",
    ".odt": "ODT",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
}
_PROGRAM_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
_BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
_CHUNK = 64 * 1024


class EvidenceRejected(ValueError):
    """A file that may not be kept as evidence; the message says why, for the user."""


@dataclass
class Upload:
    """A file that passed the checks, ready to be stored."""

    filename: str  # sanitised original name, shown and used for downloads
    content_type: str  # decided from the content
    size: int
    stream: IO[bytes]


def human_size(size: int) -> str:
    """1536 -> "1.5 KiB", in the page's number format."""
    units = ("B", "KiB", "MiB", "GiB")
    value, index = float(size), 0
    while value >= 1024 and index < len(units) - 1:
        value /= 1024
        index += 1
    return f"{format_decimal(value, format='#,##0.#')} {units[index]}"


def clean_filename(name: str | None) -> str:
    """The user's file name without any path, control or bidirectional-override characters
    (which could disguise "exe.pdf" as "fdp.exe"), at most 200 characters, never empty.
    Lao and other scripts are kept, unlike werkzeug's secure_filename."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in name
        if unicodedata.bidirectional(ch) not in _BIDI_CONTROLS
    )
    name = re.sub(r"\s+", " ", name.replace('"', "'")).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name or "evidence"


def _office_type(stream: IO[bytes]) -> str | None:
    """DOCX, XLSX or ODT from the parts inside the ZIP (MACROS if it carries a VBA project);
    None if it is none of them."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:  # a few bytes only: no zip bomb
                    if entry.read(100).strip() == ODT.encode():
                        return ODT
            if "[Content_Types].xml" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return MACROS
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return None  # damaged, encrypted or exotic archives are not accepted evidence
    return None


def sniff(stream: IO[bytes]) -> str | None:
    """The content type of a seekable stream judged by its bytes: one of ACCEPTED, MACROS, or
    None for anything else."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        found = _office_type(stream)
        stream.seek(0)
        return found
    return None


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _accepted_list() -> str:
    return _("only PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), JPEG and PNG files")


def inspect_upload(storage, max_bytes: int) -> Upload:
    """Check one uploaded file (a werkzeug FileStorage); raise EvidenceRejected saying why."""
    name = clean_filename(storage.filename)
    stream = storage.stream
    size = _size(stream)
    if size == 0:
        raise EvidenceRejected(_("“%(name)s” is empty.", name=name))
    if size > max_bytes:
        raise EvidenceRejected(
            _(
                "“%(name)s” is %(size)s; files may be at most %(limit)s.",
                name=name,
                size=human_size(size),
                limit=human_size(max_bytes),
            )
        )
    content_type = sniff(stream)
    if content_type == MACROS:
        raise EvidenceRejected(
            _("“%(name)s” contains macros, which are not accepted as evidence.", name=name)
        )
    if content_type is not None:
        return Upload(filename=name, content_type=content_type, size=size, stream=stream)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(_PROGRAM_SIGNATURES):
        reason = _("“%(name)s” is a program, not a document.", name=name)
    elif named := _NAMED_AS.get(Path(name).suffix.lower()):
        reason = _(
            "“%(name)s” is named like a %(kind)s file but its content is not one.",
            name=name,
            kind=named,
        )
    else:
        reason = _("“%(name)s” is not a document of an accepted kind.", name=name)
    raise EvidenceRejected(
        _(
            "%(reason)s Files are checked by their content: %(accepted)s are accepted.",
            reason=reason,
            accepted=_accepted_list(),
        )
    )


def download(stored_name: str | None, filename: str | None, content_type: str | None, cache: str):
    """A stored evidence file as an attachment of its checked type, never rendered by the
    browser; a 404 when the file is gone. `cache` is the Cache-Control value."""
    if not stored_name or not (path := path_of(stored_name)).is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=content_type or "application/octet-stream",
        as_attachment=True,
        download_name=filename or "evidence",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = cache
    return response


def evidence_dir() -> Path:
    configured = current_app.config.get("EVIDENCE_DIR")
    if not configured:
        raise RuntimeError("EVIDENCE_DIR is not configured")
    return Path(configured)


def path_of(stored_name: str) -> Path:
    """Where a stored file lives; refuses anything but a name this module generated."""
    if not _STORED_NAME.fullmatch(stored_name or ""):
        raise ValueError(f"not a stored evidence name: {stored_name!r}")
    return evidence_dir() / stored_name


def _new_file() -> tuple[str, IO[bytes]]:
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True)
    while True:
        stored_name = secrets.token_hex(16)
        try:
            # O_EXCL: never overwrite; 0o600: readable by the app's account only.
            fd = os.open(directory / stored_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # pragma: no cover  (2**128 names)
            continue
        return stored_name, os.fdopen(fd, "wb")


def store(stream: IO[bytes]) -> str:
    """Write a stream to the evidence directory under a new random name; return the name."""
    stored_name, target = _new_file()
    with target:
        stream.seek(0)
        shutil.copyfileobj(stream, target, _CHUNK)
    return stored_name


def copy_stored(stored_name: str) -> str:
    """A copy of a stored file under a new name (evidence kept on a resubmission)."""
    with path_of(stored_name).open("rb") as source:
        return store(source)


def discard(stored_names: list[str]) -> None:
    """Remove files written for a change that did not happen."""
    for stored_name in stored_names:
        with contextlib.suppress(OSError, ValueError):
            path_of(stored_name).unlink()
