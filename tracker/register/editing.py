"""Secretariat editing of the register: create, edit, archive; assign bodies; bulk assignment."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from tracker.exchange.columns import split_multi
from tracker.extensions import db
from tracker.models import (
    AffectedGroup,
    Assignment,
    AssignmentRole,
    Body,
    Cluster,
    DeadlinePrecision,
    Position,
    Recommendation,
    SdgTarget,
    Source,
)
from tracker.policies import can_manage_register
from tracker.register.forms import ArchiveForm, AssignmentForm, BulkAssignForm, RecommendationForm
from tracker.register.queries import RegisterFilter, register_query
from tracker.register.routes import bp
from tracker.register.services import (
    RecommendationData,
    RegisterError,
    StaleEdit,
    assign,
    bulk_assign,
    save_recommendation,
    set_archived,
    unassign,
)
from tracker.templating import localized

BULK_LIMIT = 2000  # one bulk assignment at a time stays reviewable on one page
PLAIN_FIELDS = (
    "nsedp_outcome",
    "location_section",
    "location_paragraph",
    "location_row",
    "indicator_text",
    "means_of_verification",
    "time_frame",
    "required_resources",
    "responsible_party",
    "missing_capacities",
    "published",
)


def require_manager() -> None:
    if not can_manage_register(current_user):
        abort(403)


def _recommendation(code: str) -> Recommendation:
    return db.one_or_404(select(Recommendation).where(Recommendation.code == code))


def localized_path(cluster: Cluster) -> str:
    return " > ".join(localized(c, "title") for c in cluster.path)


def _fill_choices(form: RecommendationForm) -> None:
    sources = db.session.scalars(select(Source).order_by(Source.code)).all()
    form.source.choices = [
        SelectChoice(s.code, f"{s.code} — {localized(s, 'title')[:60]}") for s in sources
    ]
    clusters = db.session.scalars(select(Cluster)).all()
    form.cluster.choices = [SelectChoice(0, _("(no cluster)"))] + sorted(
        (SelectChoice(c.id, f"{c.source.code}: {localized_path(c)}") for c in clusters),
        key=lambda choice: choice.label,
    )
    form.sdg_targets.choices = [
        SelectChoice(t.code, f"{t.code} {localized(t, 'title')[:70]}")
        for t in db.session.scalars(select(SdgTarget).order_by(SdgTarget.id))
    ]
    form.affected_groups.choices = [
        SelectChoice(g.code, localized(g, "name"))
        for g in db.session.scalars(select(AffectedGroup).order_by(AffectedGroup.name))
    ]


def _data(form: RecommendationForm) -> RecommendationData:
    source = db.session.scalars(select(Source).where(Source.code == form.source.data)).one()
    return RecommendationData(
        code=form.code.data.strip(),
        source=source,
        cluster=db.session.get(Cluster, form.cluster.data) if form.cluster.data else None,
        text=form.text.data.strip(),
        text_lo=(form.text_lo.data or "").strip() or None,
        position=Position.from_value(form.position.data),
        states=split_multi(form.recommending_states.data or ""),
        sdg_targets=form.sdg_targets.data,
        groups=form.affected_groups.data,
        fields={
            name: (
                getattr(form, name).data
                if name in ("published", "location_row")
                else (getattr(form, name).data or "").strip() or None
            )
            for name in PLAIN_FIELDS
        },
    )


def _save(form: RecommendationForm, rec: Recommendation | None):
    try:
        rec = save_recommendation(
            rec, _data(form), int(form.version.data) if form.version.data else None
        )
        db.session.commit()
    except StaleEdit:
        db.session.rollback()
        flash(
            _(
                "Someone else changed this recommendation while you were editing it. "
                "Your changes were not saved: reload the page to see the current version."
            ),
            "error",
        )
        return None
    except RegisterError as exc:
        db.session.rollback()
        form.code.errors.append(str(exc))
        return None
    flash(_("Recommendation %(code)s saved.", code=rec.code), "success")
    return redirect(url_for("register.detail", code=rec.code))


@bp.route("/recommendations/new", methods=["GET", "POST"])
def create():
    require_manager()
    form = RecommendationForm()
    _fill_choices(form)
    if request.method == "GET" and request.args.get("source"):
        form.source.data = request.args["source"]
    if form.validate_on_submit() and (response := _save(form, None)):
        return response
    return render_template("register/edit.html", form=form, rec=None)


@bp.route("/recommendations/<code>/edit", methods=["GET", "POST"])
def edit(code: str):
    require_manager()
    rec = _recommendation(code)
    form = RecommendationForm(obj=rec)
    _fill_choices(form)
    if request.method == "GET":
        form.source.data = rec.source.code
        form.cluster.data = rec.cluster_id or 0
        form.position.data = rec.position.value
        form.recommending_states.data = "; ".join(c.name for c in rec.states)
        form.sdg_targets.data = [t.code for t in rec.sdg_targets]
        form.affected_groups.data = [g.code for g in rec.groups]
        form.version.data = rec.version
    if form.validate_on_submit() and (response := _save(form, rec)):
        return response
    return render_template("register/edit.html", form=form, rec=rec)


@bp.route("/recommendations/<code>/archive", methods=["POST"])
def archive(code: str):
    require_manager()
    rec = _recommendation(code)
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        set_archived(rec, not rec.archived, int(form.version.data or rec.version))
        db.session.commit()
    except StaleEdit:
        db.session.rollback()
        flash(_("Someone else changed this recommendation meanwhile: nothing was done."), "error")
        return redirect(url_for("register.detail", code=code))
    flash(_("Archived.") if rec.archived else _("Restored to the register."), "success")
    return redirect(url_for("register.detail", code=code))


def _fill_bodies(form: AssignmentForm) -> None:
    form.body.choices = [
        SelectChoice(b.code, f"{b.label} — {localized(b, 'name')}")
        for b in db.session.scalars(select(Body).order_by(Body.code))
    ]


def _assignment_args(form: AssignmentForm):
    body = db.session.scalars(select(Body).where(Body.code == form.body.data)).one()
    return (
        body,
        AssignmentRole.from_value(form.role.data),
        form.deadline_text.data or None,
        form.deadline.data,
        DeadlinePrecision.from_value(form.precision.data) if form.deadline.data else None,
    )


@bp.route("/recommendations/<code>/assignments/new", methods=["GET", "POST"])
def assign_body(code: str):
    require_manager()
    rec = _recommendation(code)
    form = AssignmentForm()
    _fill_bodies(form)
    if form.validate_on_submit():
        assign(rec, *_assignment_args(form))
        db.session.commit()
        flash(_("Assignment saved."), "success")
        return redirect(url_for("register.detail", code=code))
    return render_template("register/assignment.html", form=form, rec=rec, assignment=None)


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(assignment_id: int):
    require_manager()
    assignment = db.get_or_404(Assignment, assignment_id)
    rec = assignment.recommendation
    form = AssignmentForm(obj=assignment)
    _fill_bodies(form)
    if request.method == "GET":
        form.body.data, form.role.data = assignment.body.code, assignment.role.value
        if assignment.deadline_text:
            form.deadline.data = None  # the text is the source of truth unless overridden
    if form.validate_on_submit():
        body, *rest = _assignment_args(form)
        if body.id != assignment.body_id:
            unassign(assignment)
        assign(rec, body, *rest)
        db.session.commit()
        flash(_("Assignment saved."), "success")
        return redirect(url_for("register.detail", code=rec.code))
    return render_template("register/assignment.html", form=form, rec=rec, assignment=assignment)


@bp.route("/assignments/<int:assignment_id>/delete", methods=["POST"])
def delete_assignment(assignment_id: int):
    require_manager()
    assignment = db.get_or_404(Assignment, assignment_id)
    if not ArchiveForm().validate_on_submit():
        abort(400)
    code = assignment.recommendation.code
    unassign(assignment)
    db.session.commit()
    flash(_("The body is no longer assigned; its updates stay in the history."), "success")
    return redirect(url_for("register.detail", code=code))


@bp.route("/bulk-assign", methods=["GET", "POST"])
def bulk():
    """Assign one body to many recommendations: those ticked, or all matching the filter."""
    require_manager()
    filters = RegisterFilter.from_args(request.args)
    form = BulkAssignForm()
    _fill_bodies(form)
    matching = db.session.scalars(register_query(filters).limit(BULK_LIMIT + 1)).all()
    if len(matching) > BULK_LIMIT:
        flash(
            _("More than %(n)d recommendations match: narrow the filter first.", n=BULK_LIMIT),
            "error",
        )
        return redirect(url_for("register.index", **filters.to_args()))
    form.codes.choices = [SelectChoice(r.code) for r in matching]
    if request.method == "GET":
        form.codes.data = request.args.getlist("codes") or [r.code for r in matching]
    if form.validate_on_submit():
        chosen = set(form.codes.data)
        recs = [r for r in matching if r.code in chosen]
        count = bulk_assign(recs, *_assignment_args(form))
        db.session.commit()
        flash(
            ngettext(
                "%(body)s assigned to %(num)d recommendation.",
                "%(body)s assigned to %(num)d recommendations.",
                count,
                body=form.body.data,
            ),
            "success",
        )
        return redirect(url_for("register.index", **filters.to_args()))
    return render_template("register/bulk.html", form=form, filters=filters, matching=matching)
