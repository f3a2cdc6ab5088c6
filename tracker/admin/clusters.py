"""The cluster tree of each source: create, rename, move, reorder."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from tracker.admin.forms import ClusterForm
from tracker.admin.routes import bp, require, show_error
from tracker.admin.services import (
    AdminError,
    cluster_tree,
    create_cluster,
    descendants,
    shift_cluster,
    update_cluster,
)
from tracker.extensions import db
from tracker.models import Cluster, Recommendation, Source
from tracker.policies import can_manage_register


@bp.route("/clusters")
def clusters():
    require(can_manage_register(current_user))
    counts = dict(
        db.session.execute(
            select(Cluster.source_id, func.count()).group_by(Cluster.source_id)
        ).all()
    )
    sources = db.session.scalars(select(Source).order_by(Source.code)).all()
    return render_template("admin/clusters.html", sources=sources, counts=counts)


def _source(code: str) -> Source:
    return db.one_or_404(select(Source).where(Source.code == code))


@bp.route("/clusters/<source_code>")
def cluster_list(source_code: str):
    source = _source(source_code)
    require(can_manage_register(current_user))
    rows = cluster_tree(source)
    children: dict[int | None, list[Cluster]] = {}
    for cluster, _depth in rows:
        children.setdefault(cluster.parent_id, []).append(cluster)
    used = dict(
        db.session.execute(
            select(Recommendation.cluster_id, func.count())
            .where(Recommendation.source_id == source.id)
            .group_by(Recommendation.cluster_id)
        ).all()
    )
    return render_template("admin/cluster_tree.html", source=source, children=children, used=used)


def _fill_parent_choices(form: ClusterForm, source: Source, cluster: Cluster | None) -> None:
    excluded = descendants(cluster) if cluster is not None else set()
    form.parent.choices = [SelectChoice("", _("(top level)"))] + [
        SelectChoice(str(c.id), "— " * depth + c.title)
        for c, depth in cluster_tree(source)
        if c.id not in excluded
    ]


def _parent(form: ClusterForm) -> Cluster | None:
    """The chosen parent; raises AdminError for something that is not a cluster."""
    if not form.parent.data:
        return None
    parent = db.session.get(Cluster, int(form.parent.data)) if form.parent.data.isdigit() else None
    if parent is None:
        raise AdminError(_("choose a cluster from the list"), "parent")
    return parent


@bp.route("/clusters/<source_code>/new", methods=["GET", "POST"])
def new_cluster(source_code: str):
    source = _source(source_code)
    require(can_manage_register(current_user))
    form = ClusterForm(data={"parent": request.args.get("parent", "")})
    _fill_parent_choices(form, source, None)
    if form.validate_on_submit():
        try:
            cluster = create_cluster(source, _parent(form), form.title.data, form.title_lo.data)
        except AdminError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Cluster “%(title)s” created.", title=cluster.title), "success")
            return redirect(url_for("admin.cluster_list", source_code=source.code))
    return render_template("admin/cluster_form.html", form=form, source=source, cluster=None)


@bp.route("/clusters/<int:cluster_id>/edit", methods=["GET", "POST"])
def edit_cluster(cluster_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    require(can_manage_register(current_user))
    form = ClusterForm(
        data={
            "title": cluster.title,
            "title_lo": cluster.title_lo,
            "parent": str(cluster.parent_id or ""),
        }
    )
    _fill_parent_choices(form, cluster.source, cluster)
    if form.validate_on_submit():
        try:
            update_cluster(
                cluster, title=form.title.data, title_lo=form.title_lo.data, parent=_parent(form)
            )
        except AdminError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Cluster “%(title)s” saved.", title=cluster.title), "success")
            return redirect(url_for("admin.cluster_list", source_code=cluster.source.code))
    return render_template(
        "admin/cluster_form.html", form=form, source=cluster.source, cluster=cluster
    )


@bp.route("/clusters/<int:cluster_id>/<any(up, down):direction>", methods=["POST"])
def shift(cluster_id: int, direction: str):
    cluster = db.get_or_404(Cluster, cluster_id)
    require(can_manage_register(current_user))
    if shift_cluster(cluster, -1 if direction == "up" else 1):
        db.session.commit()
    return redirect(
        url_for("admin.cluster_list", source_code=cluster.source.code, _anchor=f"c{cluster.id}")
    )
