"""Register pages: the filtered list (and its download) and a recommendation's page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.clock import local_today
from tracker.dashboard.cache import remember
from tracker.exchange.export import FORMATS, export_recommendations
from tracker.extensions import db
from tracker.models import AuditEvent, Indicator, Recommendation, StatusUpdate
from tracker.register import audit_view
from tracker.register.choices import STORE, STORE_SIZE, filter_choices, filter_options
from tracker.register.queries import (
    SORTS,
    RegisterFilter,
    count_of,
    register_query,
    with_details,
)

bp = Blueprint("register", __name__)
bp.add_app_template_global(filter_choices)

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
    page.total = _total(filters, today, query)
    return render_template(
        "register/list.html",
        page=page,
        filters=filters,
        options=filter_options(),
        sorts=SORTS,
        today=today,
    )


def _total(filters: RegisterFilter, today, query) -> int:
    """How many items match, kept per filter and day until audited data changes: paging through
    a broad search counts it once (PostgreSQL's ILIKE over 100,000 texts takes ~150 ms)."""
    key = ("count", tuple(sorted(filters.to_args().items())), today)
    return remember(key, lambda: count_of(query), store=STORE, size=STORE_SIZE)


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
    return render_template(
        "register/detail.html", rec=rec, audit=audit, audit_view=audit_view, today=local_today()
    )
