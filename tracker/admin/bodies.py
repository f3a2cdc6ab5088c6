"""Responsible bodies: list, create, edit; the focal points of each assignment."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from tracker.admin.forms import AttachFocalPointForm, BodyForm, body_choice
from tracker.admin.routes import bp, require, sentence, show_error
from tracker.admin.services import (
    AdminError,
    BodyData,
    attach_focal_point,
    attach_to_all_assignments,
    body_code_in_use,
    detach_focal_point,
    save_body,
)
from tracker.extensions import db
from tracker.models import Assignment, Body, BodyKind, Role, User
from tracker.policies import can_manage_register


@bp.route("/bodies")
def bodies():
    require(can_manage_register(current_user))
    assignments = (
        select(func.count(Assignment.id)).where(Assignment.body_id == Body.id).scalar_subquery()
    )
    rows = db.session.execute(
        select(Body, assignments).options(selectinload(Body.parent)).order_by(Body.code)
    ).all()
    return render_template("admin/bodies.html", rows=rows)


def _body(code: str) -> Body:
    return db.one_or_404(select(Body).where(Body.code == code))


def _fill_body_choices(form: BodyForm, body: Body | None) -> None:
    everything = db.session.scalars(select(Body).order_by(Body.code)).all()
    parents = {b.id: b.parent_id for b in everything}

    def under_body(candidate: Body) -> bool:  # the body itself or one of its sub-bodies
        node, seen = candidate.id, set()
        while node is not None and node not in seen:
            if body is not None and node == body.id:
                return True
            seen.add(node)
            node = parents.get(node)
        return False

    form.parent.choices = [SelectChoice("", _("(none)"))] + [
        body_choice(b) for b in everything if not under_body(b)
    ]


def _body_data(form: BodyForm) -> BodyData:
    return BodyData(
        code=form.code.data,
        name=form.name.data,
        kind=BodyKind.from_value(form.kind.data),
        acronym=form.acronym.data,
        name_lo=form.name_lo.data,
        parent_code=form.parent.data or None,
        head_email=form.head_email.data,
    )


def _save_body_form(form: BodyForm, body: Body | None):
    """Validate and save; a redirect on success, else None (errors are on the form)."""
    if not form.validate_on_submit():
        return None
    try:
        saved = save_body(body, _body_data(form))
    except AdminError as error:
        db.session.rollback()
        show_error(form, error)
        return None
    db.session.commit()
    flash(_("Body %(code)s saved.", code=saved.code), "success")
    return redirect(url_for("admin.body", code=saved.code))


@bp.route("/bodies/new", methods=["GET", "POST"])
def new_body():
    require(can_manage_register(current_user))
    form = BodyForm()
    _fill_body_choices(form, None)
    return _save_body_form(form, None) or render_template(
        "admin/body_form.html", form=form, body=None, code_fixed=False
    )


@bp.route("/bodies/<code>/edit", methods=["GET", "POST"])
def edit_body(code: str):
    body = _body(code)
    require(can_manage_register(current_user))
    form = BodyForm(
        data={
            "code": body.code,
            "acronym": body.acronym,
            "name": body.name,
            "name_lo": body.name_lo,
            "kind": body.kind.value,
            "parent": body.parent.code if body.parent else "",
            "head_email": body.head_email,
        }
    )
    _fill_body_choices(form, body)
    code_fixed = body_code_in_use(body)
    if code_fixed:
        form.code.render_kw = {"readonly": True}
    return _save_body_form(form, body) or render_template(
        "admin/body_form.html", form=form, body=body, code_fixed=code_fixed
    )


@bp.route("/bodies/<code>")
def body(code: str):
    body = db.one_or_404(
        select(Body)
        .where(Body.code == code)
        .options(
            selectinload(Body.assignments).selectinload(Assignment.recommendation),
            selectinload(Body.assignments).selectinload(Assignment.focal_points),
        )
    )
    require(can_manage_register(current_user))
    focal_points = db.session.scalars(
        select(User)
        .where(User.body_id == body.id, User.role == Role.FOCAL_POINT)
        .order_by(User.name, User.email)
    ).all()
    assignments = sorted(body.assignments, key=lambda a: a.recommendation.code)
    return render_template(
        "admin/body.html",
        body=body,
        assignments=assignments,
        focal_points=focal_points,
        Role=Role,
    )


# -- focal points ---------------------------------------------------------------------------


@bp.route("/assignments/<int:assignment_id>/focal-points", methods=["POST"])
def attach(assignment_id: int):
    assignment = db.get_or_404(Assignment, assignment_id)
    require(can_manage_register(current_user))
    form = AttachFocalPointForm()
    form.user.choices = []
    if form.validate_on_submit():
        user = db.get_or_404(User, form.user.data)
        try:
            changed = attach_focal_point(assignment, user)
        except AdminError as error:
            db.session.rollback()
            flash(sentence(str(error)), "error")
        else:
            db.session.commit()
            if changed:
                flash(
                    _(
                        "%(name)s is now focal point of %(code)s.",
                        name=user.name,
                        code=assignment.recommendation.code,
                    ),
                    "success",
                )
    else:
        flash(_("Choose a focal point to attach."), "error")
    return redirect(url_for("admin.body", code=assignment.body.code))


@bp.route("/assignments/<int:assignment_id>/focal-points/<int:user_id>/remove", methods=["POST"])
def detach(assignment_id: int, user_id: int):
    assignment = db.get_or_404(Assignment, assignment_id)
    user = db.get_or_404(User, user_id)
    require(can_manage_register(current_user))
    if detach_focal_point(assignment, user):
        db.session.commit()
        flash(
            _(
                "%(name)s is no longer focal point of %(code)s.",
                name=user.name,
                code=assignment.recommendation.code,
            ),
            "success",
        )
    return redirect(url_for("admin.body", code=assignment.body.code))


@bp.route("/bodies/<code>/focal-points/<int:user_id>/all", methods=["POST"])
def attach_everywhere(code: str, user_id: int):
    body = _body(code)
    user = db.get_or_404(User, user_id)
    require(can_manage_register(current_user))
    try:
        count = attach_to_all_assignments(body, user)
    except AdminError as error:
        db.session.rollback()
        flash(sentence(str(error)), "error")
    else:
        db.session.commit()
        flash(
            _(
                "%(name)s is now focal point of all %(total)d assignments of %(body)s "
                "(%(count)d new).",
                name=user.name,
                total=len(body.assignments),
                body=body.label,
                count=count,
            ),
            "success",
        )
    return redirect(url_for("admin.body", code=body.code))
