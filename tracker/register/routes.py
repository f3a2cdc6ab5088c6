"""Register pages: the filtered list (and its download) and a recommendation's page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.clock import local_today
from tracker.exchange.export import FORMATS, export_recommendations
from tracker.extensions import db
from tracker.models import AuditEvent, Indicator, Recommendation, StatusUpdate
from tracker.register.queries import (
    SORTS,
    RegisterFilter,
    count_of,
    filter_options,
    register_query,
    with_details,
)

bp = Blueprint("register", __name__)

MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.route("/")
def index():
    filters = RegisterFilter.from_args(request.args)
    today = local_today()
    query = register_query(filters, today)
    page = db.paginate(
        with_details(query),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
        count=False,
    )
    page.total = count_of(query)
    return render_template(
        "register/list.html",
        page=page,
        filters=filters,
        options=filter_options(),
        sorts=SORTS,
        today=today,
    )


@bp.route("/register.<fmt>")
def download(fmt: str):
    """The current filter in the exchange format."""
    if fmt not in FORMATS:
        abort(404)
    query = register_query(RegisterFilter.from_args(request.args), local_today())
    return Response(
        export_recommendations(fmt, query),
        mimetype=MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="recommendations.{fmt}"'},
    )


@bp.route("/recommendations/<code>")
def detail(code: str):
    rec = db.one_or_404(
        select(Recommendation)
        .where(Recommendation.code == code)
        .options(
            selectinload(Recommendation.updates).selectinload(StatusUpdate.evidence),
            selectinload(Recommendation.indicators).selectinload(Indicator.values),
        )
    )
    audit = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.recommendation_id == rec.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(50)
    ).all()
    return render_template("register/detail.html", rec=rec, audit=audit, today=local_today())
