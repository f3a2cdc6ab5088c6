"""The dashboard page: headline figures, breakdowns, trend and indicators for one filter.
Every signed-in user may read it (viewers are NSC members); it changes nothing."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from tracker.clock import local_today
from tracker.dashboard.page import page_body
from tracker.dashboard.queries import dashboard_filter
from tracker.policies import can_view

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.route("")
def index():
    if not can_view(current_user):
        abort(403)
    body = page_body(dashboard_filter(request.args), local_today())
    return render_template("dashboard/index.html", body=body)
