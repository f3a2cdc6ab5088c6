"""Flask-Login wiring: every page needs a signed-in user unless its view is marked public."""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.extensions import db, login_manager
from tracker.models import User

PUBLIC_ENDPOINTS = {"auth.login", "static", "auth.set_language"}
# The optional public transparency page (tracker/public), when it is turned on.
PUBLIC_ENDPOINTS |= {
    "public.index",
    "public.recommendations",
    "public.recommendation",
    "public.evidence",
    "public.unknown",
}
# What a user who must choose a new password may still reach.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "auth.set_language", "static"}


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

    @app.before_request
    def require_login():
        # Login required by default: a new route cannot be forgotten open.
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
            return redirect(url_for("auth.change_password"))
        return None
