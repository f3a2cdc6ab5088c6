"""The secretariat's reference data: responsible bodies, cluster trees and the focal points of
each assignment. Functions change the session and flush; the caller owns the transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Assignment, Body, BodyKind, Cluster, Role, SeedRecord, Source, User

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class AdminError(ValueError):
    """A clear reason why a change is refused; `field` names the form field it belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _assign(obj, **values) -> None:
    """Set only what differs, so an unchanged save writes (and audits) nothing."""
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


# -- bodies --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyData:
    code: str
    name: str
    kind: BodyKind
    acronym: str | None = None
    name_lo: str | None = None
    parent_code: str | None = None
    head_email: str | None = None


def body_by_code(code: str | None) -> Body | None:
    if not code:
        return None
    return db.session.scalars(select(Body).where(Body.code == code)).first()


def body_code_in_use(body: Body) -> bool:
    """A code is part of the exchange format and the seed files once something refers to it."""
    if body.id is None:
        return False
    return any(
        db.session.scalar(query)
        for query in (
            select(func.count()).select_from(Assignment).where(Assignment.body_id == body.id),
            select(func.count()).select_from(User).where(User.body_id == body.id),
            select(func.count()).select_from(Body).where(Body.parent_id == body.id),
            select(func.count())
            .select_from(SeedRecord)
            .where(SeedRecord.key == f"body:{body.code}"),
        )
    )


def save_body(body: Body | None, data: BodyData) -> Body:
    """Create a body (body=None) or change one. The code is unique (whatever its case) and
    fixed once in use; the parent chain never loops; the head's email must look like one."""
    code = data.code.strip().upper()
    if not CODE_RE.match(code):
        raise AdminError(
            _("use capital letters, digits, dots, dashes or underscores, e.g. MOHA-HRD"), "code"
        )
    if body is not None and code != body.code and body_code_in_use(body):
        raise AdminError(
            _("the code cannot change: assignments, accounts, sub-bodies or the seed data use it"),
            "code",
        )
    clash = db.session.scalars(
        select(Body).where(func.upper(Body.code) == code, Body.id != (body.id if body else -1))
    ).first()
    if clash is not None:
        raise AdminError(_("another body already has the code %(code)s", code=code), "code")
    name = data.name.strip()
    if not name:
        raise AdminError(_("the name is required"), "name")
    head_email = _clean(data.head_email)
    if head_email is not None:
        head_email = head_email.lower()
        if not EMAIL_RE.match(head_email):
            raise AdminError(
                _("“%(email)s” is not an email address", email=data.head_email), "head_email"
            )
    parent = None
    if data.parent_code:
        parent = body_by_code(data.parent_code)
        if parent is None:
            raise AdminError(_("unknown body %(code)s", code=data.parent_code), "parent")
        if body is not None and parent.id == body.id:
            raise AdminError(_("a body cannot be part of itself"), "parent")
        if body is not None and _is_within(parent, body):
            raise AdminError(
                _(
                    "a body cannot be part of one of its own sub-bodies (%(parent)s is under "
                    "%(body)s)",
                    parent=parent.code,
                    body=body.code,
                ),
                "parent",
            )
    if body is None:
        body = Body(code=code, name=name, kind=data.kind)
        db.session.add(body)
    _assign(
        body,
        code=code,
        name=name,
        kind=data.kind,
        acronym=_clean(data.acronym),
        name_lo=_clean(data.name_lo),
        parent=parent,
        head_email=head_email,
    )
    db.session.flush()
    return body


def _is_within(node: Body, ancestor: Body) -> bool:
    seen = set()
    while node is not None and node.id not in seen:
        if node.id == ancestor.id:
            return True
        seen.add(node.id)
        node = node.parent
    return False


# -- clusters ------------------------------------------------------------------------------


def siblings(source: Source, parent: Cluster | None) -> list[Cluster]:
    query = select(Cluster).where(Cluster.source_id == source.id)
    query = query.where(
        Cluster.parent_id.is_(None) if parent is None else Cluster.parent_id == parent.id
    )
    return list(db.session.scalars(query.order_by(Cluster.sort_order, Cluster.id)))


def cluster_tree(source: Source) -> list[tuple[Cluster, int]]:
    """The source's clusters in display order, each with its depth."""
    clusters = db.session.scalars(
        select(Cluster)
        .where(Cluster.source_id == source.id)
        .order_by(Cluster.sort_order, Cluster.id)
    ).all()
    children: dict[int | None, list[Cluster]] = {}
    for cluster in clusters:
        children.setdefault(cluster.parent_id, []).append(cluster)
    rows: list[tuple[Cluster, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for cluster in children.get(parent_id, []):
            rows.append((cluster, depth))
            walk(cluster.id, depth + 1)

    walk(None, 0)
    return rows


def descendants(cluster: Cluster) -> set[int]:
    """Ids of the cluster and everything under it."""
    found, todo = set(), [cluster]
    while todo:
        node = todo.pop()
        if node.id not in found:
            found.add(node.id)
            todo.extend(node.children)
    return found


def _check_title(source: Source, parent: Cluster | None, title: str, cluster: Cluster | None):
    title = title.strip()
    if not title:
        raise AdminError(_("the title is required"), "title")
    for other in siblings(source, parent):
        if other is not cluster and other.title.casefold() == title.casefold():
            raise AdminError(
                _("there is already a cluster titled “%(title)s” here", title=title)
                if parent is None
                else _(
                    "“%(parent)s” already has a sub-cluster titled “%(title)s”",
                    parent=parent.title,
                    title=title,
                ),
                "title",
            )
    return title


def _check_parent(source: Source, parent: Cluster | None, cluster: Cluster | None) -> None:
    if parent is None:
        return
    if parent.source_id != source.id:
        raise AdminError(_("the parent must be a cluster of the same source"), "parent")
    if cluster is not None and parent.id in descendants(cluster):
        raise AdminError(
            _("a cluster cannot move under itself or one of its sub-clusters"), "parent"
        )


def create_cluster(
    source: Source, parent: Cluster | None, title: str, title_lo: str | None = None
) -> Cluster:
    """A new cluster, last among its siblings."""
    _check_parent(source, parent, None)
    title = _check_title(source, parent, title, None)
    existing = siblings(source, parent)
    cluster = Cluster(
        source=source,
        parent=parent,
        title=title,
        title_lo=_clean(title_lo),
        sort_order=(existing[-1].sort_order + 1) if existing else 0,
    )
    db.session.add(cluster)
    db.session.flush()
    return cluster


def update_cluster(
    cluster: Cluster, *, title: str, title_lo: str | None, parent: Cluster | None
) -> None:
    """Rename a cluster and/or move it (with its sub-clusters) under another parent of the same
    source, where it goes last."""
    source = cluster.source
    _check_parent(source, parent, cluster)
    title = _check_title(source, parent, title, cluster)
    if parent is not cluster.parent:
        existing = siblings(source, parent)
        cluster.sort_order = (existing[-1].sort_order + 1) if existing else 0
        cluster.parent = parent
    _assign(cluster, title=title, title_lo=_clean(title_lo))
    db.session.flush()


def shift_cluster(cluster: Cluster, offset: int) -> bool:
    """Move a cluster up (-1) or down (+1) among its siblings; False when already at the end.
    Siblings are renumbered 0, 1, 2... so that ties left by older data are resolved."""
    ordered = siblings(cluster.source, cluster.parent)
    index = ordered.index(cluster)
    target = index + offset
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, node in enumerate(ordered):
        _assign(node, sort_order=position)
    db.session.flush()
    return True


# -- focal points ---------------------------------------------------------------------------


def _check_focal_point(body: Body, user: User) -> None:
    if user.role is not Role.FOCAL_POINT:
        raise AdminError(_("the account of %(name)s is not a focal point", name=user.name), "user")
    if user.body_id != body.id:
        raise AdminError(
            _(
                "the account of %(name)s is a focal point of another body, not of %(body)s",
                name=user.name,
                body=body.label,
            ),
            "user",
        )
    if not user.active:
        raise AdminError(_("the account of %(name)s is deactivated", name=user.name), "user")


def attach_focal_point(assignment: Assignment, user: User) -> bool:
    """Make a focal point of the assignment's body responsible for it; False if already."""
    _check_focal_point(assignment.body, user)
    if user in assignment.focal_points:
        return False
    assignment.focal_points.append(user)
    db.session.flush()
    return True


def detach_focal_point(assignment: Assignment, user: User) -> bool:
    if user not in assignment.focal_points:
        return False
    assignment.focal_points.remove(user)
    db.session.flush()
    return True


def attach_to_all_assignments(body: Body, user: User) -> int:
    """Make the user focal point of every assignment of the body; the number newly attached."""
    _check_focal_point(body, user)
    attached = 0
    for assignment in body.assignments:
        if user not in assignment.focal_points:
            assignment.focal_points.append(user)
            attached += 1
    db.session.flush()
    return attached
