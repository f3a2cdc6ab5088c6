"""Report services shared by the web and the CLI: the editable cover of a source's report, and
generating a report file and keeping it in the history. Functions flush; the caller commits."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import GeneratedReport, ReportCover, Source, SourceKind, User
from tracker.reports import render
from tracker.reports.builders import build_report
from tracker.reports.common import EvidenceFilter
from tracker.reports.data import FORMATS, Cover

# "the third cycle": translated as a whole word (Lao: ຮອບທີ ສາມ).
ORDINALS = {
    1: _l("first"),
    2: _l("second"),
    3: _l("third"),
    4: _l("fourth"),
    5: _l("fifth"),
    6: _l("sixth"),
}
COVER_FIELDS = ("title", "title_lo", "subtitle", "subtitle_lo", "introduction", "introduction_lo")


def default_cover(source: Source) -> Cover:
    """What the cover says until the secretariat writes its own."""
    if source.kind is SourceKind.UPR:
        cycle = str(ORDINALS.get(source.cycle or 0, source.cycle or ""))
        return Cover(
            title=_(
                "Voluntary mid-term report of the Lao People's Democratic Republic on the"
                " implementation of the recommendations of the %(cycle)s cycle of the Universal"
                " Periodic Review",
                cycle=cycle,
            ),
            subtitle=source.session,
            introduction=_(
                "This report gives an account, at mid-cycle, of what has been done to implement"
                " the recommendations received in the %(cycle)s cycle of the Universal Periodic"
                " Review, cluster by cluster, as validated by the National Steering Committee on"
                " Human Rights.",
                cycle=cycle,
            ),
        )
    if source.kind is SourceKind.RTIM:
        return Cover(
            title=source.title,
            title_lo=source.title_lo,
            subtitle=source.issuing_body,
            introduction=_(
                "Progress of the Sector Working Group on the recommendations of the Round Table"
                " Implementation Meeting, its targets and achievements, and its priorities."
            ),
        )
    return Cover(
        title=_("Action-plan progress: %(title)s", title=source.title),
        title_lo=source.title_lo,
        subtitle=source.issuing_body,
        introduction=_(
            "Progress of the activities agreed at the workshop, dimension by dimension, as"
            " validated by the secretariat."
        ),
    )


def stored_cover(source: Source) -> ReportCover | None:
    return db.session.scalar(select(ReportCover).where(ReportCover.source_id == source.id))


def cover_for(source: Source) -> Cover:
    row = stored_cover(source)
    if row is None:
        return default_cover(source)
    return Cover(**{name: getattr(row, name) for name in COVER_FIELDS})


def save_cover(source: Source, editor: User | None, **values: str | None) -> ReportCover:
    """Store the cover as written; blank optional fields are kept empty (None)."""
    if not (values.get("title") or "").strip():
        raise ValueError(_("The title of the report cannot be empty."))
    row = stored_cover(source) or ReportCover(source=source)
    db.session.add(row)
    for name in COVER_FIELDS:
        text = (values.get(name) or "").strip()
        setattr(row, name, text or None)
    row.updated_by = editor
    db.session.flush()
    return row


def reports_dir() -> Path:
    """Generated files: under the instance folder, outside static/, served only by a route."""
    path = Path(current_app.instance_path) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(report: GeneratedReport) -> Path:
    return reports_dir() / report.stored_name


def make_report(
    kind: str,
    source: Source,
    *,
    as_of: date,
    now: datetime,
    may_see: EvidenceFilter,
    include_pending: bool = False,
):
    """The report's data, as of the day (the preview and every file use this)."""
    return build_report(
        kind,
        source,
        as_of=as_of,
        generated_at=now,
        cover=cover_for(source),
        timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        may_see=may_see,
        include_pending=include_pending,
    )


def generate(
    kind: str,
    source: Source,
    fmt: str,
    *,
    as_of: date,
    now: datetime,
    may_see: EvidenceFilter,
    include_pending: bool = False,
    author: User | None = None,
    author_label: str | None = None,
) -> tuple[GeneratedReport, bytes]:
    """Build the report, render it, keep the file and record it in the history."""
    if fmt not in FORMATS:
        raise ValueError(_("Unknown format “%(fmt)s”: use html, docx, pdf or xlsx.", fmt=fmt))
    report = make_report(
        kind, source, as_of=as_of, now=now, may_see=may_see, include_pending=include_pending
    )
    data = render.render(report, fmt)
    stored_name = f"{secrets.token_hex(16)}.{fmt}"
    row = GeneratedReport(
        kind=kind,
        source=source,
        as_of=as_of,
        include_pending=include_pending,
        format=fmt,
        stored_name=stored_name,
        filename=f"{report.filename_stem}.{fmt}",
        size=len(data),
        author=author,
        author_label=author_label or (author.email if author else None),
        created_at=now,
    )
    db.session.add(row)
    db.session.flush()
    # Written once the row is accepted; if the caller's commit then fails, an orphan file under
    # a random name is all that remains, never a history row without its file.
    (reports_dir() / stored_name).write_bytes(data)
    return row, data


def history(limit: int = 50) -> list[GeneratedReport]:
    query = select(GeneratedReport).order_by(
        GeneratedReport.created_at.desc(), GeneratedReport.id.desc()
    )
    return list(db.session.scalars(query.limit(limit)))
