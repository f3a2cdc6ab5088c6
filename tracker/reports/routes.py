"""Reports in the browser: the list of reports per source with the history of generated files,
the HTML preview, generating a file (kept in the history and sent), downloading a kept file,
and the editable cover. Everyone signed in reads; the secretariat and admins write."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import GeneratedReport, Source
from tracker.models.base import utcnow
from tracker.policies import can_view, can_view_evidence, can_write_reports
from tracker.reports import services
from tracker.reports.builders import SOURCE_KIND, WrongSource, check_kind
from tracker.reports.data import KINDS, has_lao
from tracker.reports.forms import CoverForm, GenerateForm
from tracker.reports.render import MEDIA_TYPES

bp = Blueprint("reports", __name__, url_prefix="/reports")
KIND = "<any(midterm, swg, actionplan):kind>"
REPORT_OF = {source_kind: kind for kind, source_kind in SOURCE_KIND.items()}


def _source_for(kind: str, code: str) -> Source:
    """The source, or 404 when there is none or it is of another kind than the report."""
    source = db.one_or_404(select(Source).where(Source.code == code))
    try:
        check_kind(kind, source)
    except WrongSource:
        abort(404)
    return source


def _may_see(evidence) -> bool:
    return can_view_evidence(current_user, evidence)


def _as_of(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else local_today()
    except ValueError:
        return None


@bp.get("")
def index():
    if not can_view(current_user):
        abort(403)
    sources = db.session.scalars(select(Source)).all()
    reports = sorted(
        ((REPORT_OF[s.kind], s) for s in sources if s.kind in REPORT_OF),
        key=lambda pair: (KINDS.index(pair[0]), pair[1].code),
    )
    return render_template(
        "reports/index.html",
        reports=reports,
        history=services.history(),
        today=local_today(),
        form=GenerateForm(),
    )


@bp.get(f"/{KIND}/<source_code>")
def preview(kind: str, source_code: str):
    source = _source_for(kind, source_code)
    if not can_view(current_user):
        abort(403)
    as_of = _as_of(request.args.get("as_of"))
    if as_of is None:
        flash(_("“As of” must be a date written YYYY-MM-DD."), "error")
        return redirect(url_for("reports.preview", kind=kind, source_code=source.code))
    pending = request.args.get("include_pending") in ("1", "y")
    return _preview_page(kind, source, GenerateForm(as_of=as_of, include_pending=pending))


def _preview_page(kind: str, source: Source, form: GenerateForm, status: int = 200):
    report = services.make_report(
        kind,
        source,
        as_of=form.as_of.data or local_today(),
        now=utcnow(),
        may_see=_may_see,
        include_pending=bool(form.include_pending.data),
    )
    page = render_template(
        "reports/preview.html", report=report, kind=kind, source=source, form=form, has_lao=has_lao
    )
    return page, status


@bp.post(f"/{KIND}/<source_code>")
def generate(kind: str, source_code: str):
    source = _source_for(kind, source_code)
    if not can_write_reports(current_user):
        abort(403)
    form = GenerateForm()
    if not form.validate():
        return _preview_page(kind, source, form, status=400)
    row, data = services.generate(
        kind,
        source,
        form.format.data,
        as_of=form.as_of.data or local_today(),
        now=utcnow(),
        may_see=_may_see,
        include_pending=form.include_pending.data,
        author=current_user,
    )
    db.session.commit()
    return _attachment(io.BytesIO(data), row)


@bp.get("/files/<int:report_id>")
def download(report_id: int):
    row = db.get_or_404(GeneratedReport, report_id)
    if not can_view(current_user):
        abort(403)
    if not (path := services.path_of(row)).is_file():
        abort(404)
    return _attachment(path, row)


def _attachment(file, row: GeneratedReport):
    response = send_file(
        file,
        mimetype=MEDIA_TYPES[row.format],
        as_attachment=True,
        download_name=row.filename,
        max_age=0,
    )
    # A download only: never rendered in the site's origin (the HTML file included).
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/cover/<source_code>", methods=["GET", "POST"])
def edit_cover(source_code: str):
    source = db.one_or_404(select(Source).where(Source.code == source_code))
    if source.kind not in REPORT_OF:
        abort(404)  # no report is made of this source
    if not can_write_reports(current_user):
        abort(403)
    form = CoverForm(obj=services.cover_for(source))
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.COVER_FIELDS}
        services.save_cover(source, current_user, **values)
        db.session.commit()
        flash(_("The cover of the %(code)s report is saved.", code=source.code), "success")
        return redirect(url_for("reports.index"))
    return render_template(
        "reports/cover.html", form=form, source=source, kind=REPORT_OF[source.kind]
    )
