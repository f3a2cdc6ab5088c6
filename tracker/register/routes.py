"""Register pages: the filtered list and a recommendation with its assignments and history."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import AuditEvent, Recommendation, StatusUpdate
from tracker.register.queries import RegisterFilter, filter_options, register_query, with_details

bp = Blueprint("register", __name__)


@bp.route("/")
def index():
    filters = RegisterFilter.from_args(request.args)
    page = db.paginate(
        with_details(register_query(filters)),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "register/list.html", page=page, filters=filters, options=filter_options()
    )


@bp.route("/recommendations/<code>")
def detail(code: str):
    rec = db.one_or_404(
        select(Recommendation)
        .where(Recommendation.code == code)
        .options(
            selectinload(Recommendation.updates).selectinload(StatusUpdate.evidence),
            selectinload(Recommendation.indicators),
        )
    )
    audit = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.recommendation_id == rec.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(50)
    ).all()
    return render_template("register/detail.html", rec=rec, audit=audit)
