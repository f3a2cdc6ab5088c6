"""The public transparency page (/public): published recommendations, read-only, for anyone.
Registered only when PUBLIC_PAGE_ENABLED is set (tracker/public/setup.py); its endpoints are
declared public in tracker/auth/loader.py. Nothing here writes."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import select

from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import Body, Status
from tracker.public import queries
from tracker.register.queries import count_of
from tracker.updates.evidence import download

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.route("/")
def index():
    overview = queries.overview(local_today())
    codes = [row.args["body"] for row in overview.bodies]
    bodies = {b.code: b for b in db.session.scalars(select(Body).where(Body.code.in_(codes)))}
    return render_template(
        "public/index.html", overview=overview, bodies=bodies, statuses=list(Status)
    )


@bp.route("/recommendations")
def recommendations():
    today = local_today()
    filters = queries.public_filter(request.args)
    query = queries.published_query(filters, today)
    page = db.paginate(
        query, per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False, count=False
    )
    page.total = count_of(query)
    return render_template(
        "public/list.html", page=page, filters=filters, options=queries.filter_options(today)
    )


@bp.route("/recommendations/<code>")
def recommendation(code: str):
    rec = queries.published_recommendation(code)
    if rec is None:  # unknown, unpublished or archived: the same answer
        abort(404)
    updates = queries.validated_updates(rec)
    return render_template("public/detail.html", rec=rec, updates=updates)


@bp.route("/evidence/<int:evidence_id>")
def evidence(evidence_id: int):
    item = queries.public_evidence_file(evidence_id)
    if item is None:
        abort(404)
    # Not kept by any cache, so that unpublishing takes effect at once.
    return download(item.stored_name, item.filename, item.content_type, "no-store")


@bp.route("/<path:anything>")
def unknown(anything: str):
    """Any other address under /public: answered by the public 404 page, not the staff one."""
    abort(404)


@bp.errorhandler(404)
def not_found(error):
    return render_template("public/error.html", code=404), 404


@bp.errorhandler(429)
def too_many_requests(error):
    return render_template("public/error.html", code=429), 429
