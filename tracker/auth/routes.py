"""Sign in (throttled), sign out, change password (forced after an admin reset), language."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from tracker.auth.forms import ChangePasswordForm, LoginForm
from tracker.auth.throttle import blocked_for, clear_failures, record_failure
from tracker.extensions import db
from tracker.models import User
from tracker.models.base import utcnow
from tracker.urls import safe_next
from tracker.users.services import AccountError, check_password_rules

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("register.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email, now = form.email.data.strip().lower(), utcnow()
        wait = blocked_for(email, request.remote_addr, now)
        if wait is not None:
            minutes = max(1, round(wait.total_seconds() / 60))
            flash(_("Too many failed attempts. Try again in %(n)d minutes.", n=minutes), "error")
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalars(select(User).where(func.lower(User.email) == email)).first()
        if user is None or not user.active or not user.check_password(form.password.data):
            record_failure(email, request.remote_addr, now)
            db.session.commit()
            flash(_("Wrong email or password, or the account is deactivated."), "error")
            return render_template("auth/login.html", form=form), 401
        clear_failures(email)
        # A language chosen with the switch before signing in is the person's choice: keep it.
        if session.get("language") in current_app.config["LANGUAGES"]:
            user.language = session["language"]
        db.session.commit()
        session.clear()  # a fresh session on sign-in: no fixation
        login_user(user)
        session.permanent = True
        if user.must_change_password:
            return redirect(url_for("auth.change_password"))
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            try:
                check_password_rules(form.new.data)
            except AccountError as exc:
                form.new.errors.append(str(exc))
            else:
                current_user.set_password(form.new.data)
                current_user.must_change_password = False
                db.session.commit()
                flash(_("Your password is changed."), "success")
                return redirect(url_for("register.index"))
    return render_template("auth/password.html", form=form)


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        if current_user.is_authenticated:
            current_user.language = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
