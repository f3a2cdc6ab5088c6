"""My assignments: the focal point's list, most urgent first, with progress reporting inline."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import Body, Role
from tracker.policies import can_manage_register
from tracker.workspace.queries import (
    SECTIONS,
    awaiting_validation,
    section_counts,
    sections_of,
    workspace_query,
)

bp = Blueprint("workspace", __name__)


def _body() -> Body:
    """A focal point sees their own body; the secretariat may open any body's workspace."""
    if current_user.role is Role.FOCAL_POINT and current_user.body is not None:
        return current_user.body
    if can_manage_register(current_user):
        code = request.args.get("body")
        if code:
            return db.one_or_404(select(Body).where(Body.code == code))
        return None
    abort(403)


@bp.route("/my")
def index():
    body = _body()
    if body is None:
        bodies = db.session.scalars(select(Body).order_by(Body.code)).all()
        return render_template("workspace/choose.html", bodies=bodies)
    today = local_today()
    page = db.paginate(
        workspace_query(body.id, today),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
        count=False,
    )
    counts = section_counts(body.id, today)
    page.total = sum(counts.values())  # the sections cover every listed item once
    return render_template(
        "workspace/index.html",
        body=body,
        page=page,
        today=today,
        counts=counts,
        sections=SECTIONS,
        section_of=sections_of(page.items, today),
        awaiting=awaiting_validation(page.items),
    )
