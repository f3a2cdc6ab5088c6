"""Accounts: list, create, edit, deactivate or reactivate, reset a password. Administrators
manage every account; the secretariat manages focal points and viewers (policies)."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from tracker.admin.forms import AccountForm, NewAccountForm, body_choice
from tracker.admin.routes import bp, require, sentence, show_error
from tracker.extensions import db
from tracker.models import Body, Role, User
from tracker.policies import can_manage_user, can_manage_users
from tracker.users.services import (
    AccountError,
    create_user,
    reset_password,
    set_active,
    update_user,
)


def _fill_choices(form: AccountForm, bodies: list[Body]) -> None:
    form.role.choices = [
        SelectChoice(r.value, r.label) for r in Role if can_manage_user(current_user, r)
    ]
    form.body.choices = [SelectChoice("", _("(none)"))] + [body_choice(b) for b in bodies]


def _bodies() -> list[Body]:
    return db.session.scalars(select(Body).order_by(Body.code)).all()


def _account(user_id: int) -> User:
    """The account, if the signed-in user may manage it (else 403)."""
    user = db.get_or_404(User, user_id)
    require(can_manage_user(current_user, user.role))
    return user


@bp.route("/users")
def users():
    require(can_manage_users(current_user))
    args = request.args
    query = select(User).options(selectinload(User.body)).order_by(User.name, User.email)
    role = next((r for r in Role if r.value == args.get("role")), None)
    if role is not None:
        query = query.where(User.role == role)
    if args.get("body"):
        query = query.join(User.body).where(Body.code == args["body"])
    if args.get("active") in ("yes", "no"):
        query = query.where(User.active.is_(args["active"] == "yes"))
    page = db.paginate(query, per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False)
    return render_template(
        "admin/users.html", page=page, roles=list(Role), bodies=_bodies(), args=args
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    require(can_manage_users(current_user))
    # The body page links here with the role and body filled in.
    form = NewAccountForm(data={"role": request.args.get("role"), "body": request.args.get("body")})
    _fill_choices(form, _bodies())
    if form.validate_on_submit():
        try:
            user = create_user(
                email=form.email.data,
                name=form.name.data,
                role=Role.from_value(form.role.data),
                password=form.password.data,
                body_code=form.body.data or None,
                language=form.language.data,
            )
            user.must_change_password = form.must_change_password.data
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = _account(user_id)
    form = AccountForm(
        data={
            "name": user.name,
            "role": user.role.value,
            "body": user.body.code if user.body else "",
            "language": user.language,
        }
    )
    _fill_choices(form, _bodies())
    if form.validate_on_submit():
        try:
            update_user(
                user,
                actor=current_user,
                name=form.name.data,
                role=Role.from_value(form.role.data),
                body_code=form.body.data or None,
                language=form.language.data,
            )
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Account %(email)s saved.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_user_active(user_id: int):
    user = _account(user_id)
    active = request.form.get("active") == "1"
    try:
        set_active(user, active, current_user)
    except AccountError as error:
        db.session.rollback()
        flash(sentence(str(error)), "error")
    else:
        db.session.commit()
        if active:
            flash(_("The account %(email)s can sign in again.", email=user.email), "success")
        else:
            flash(_("The account %(email)s is deactivated.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def reset_user_password(user_id: int):
    user = _account(user_id)
    password = reset_password(user)
    db.session.commit()
    # Shown once, on this response only: never stored, flashed or cached.
    response = make_response(
        render_template("admin/password_reset.html", user=user, password=password)
    )
    response.headers["Cache-Control"] = "no-store"
    return response
