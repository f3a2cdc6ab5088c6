"""The management blueprint (/admin): its guard and the helpers its views share. The views
are by subject: bodies.py (bodies and their focal points), clusters.py, accounts.py."""

from __future__ import annotations

from flask import Blueprint, abort, flash
from flask_login import current_user

from tracker.policies import can_manage_register, can_manage_users

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def only_managers():
    # A floor under every view's own check: a new admin route is never open to all.
    if not (can_manage_register(current_user) or can_manage_users(current_user)):
        abort(403)


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def show_error(form, error: ValueError) -> None:
    """Put a service's refusal beside the field it concerns, else at the top of the page."""
    field = getattr(form, getattr(error, "field", None) or "", None)
    if field is not None and field.name != "submit":
        field.errors.append(sentence(str(error)))
    else:
        flash(sentence(str(error)), "error")


# The views register themselves on bp.
from tracker.admin import accounts, bodies, clusters  # noqa: E402, F401
