"""Business rules for the register, shared by the web, the seed loader and the import. Functions
change the session and flush; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from tracker.deadlines import Deadline, parse_deadline
from tracker.extensions import db
from tracker.models import (
    AffectedGroup,
    Assignment,
    AssignmentRole,
    Body,
    Cluster,
    Country,
    DeadlinePrecision,
    Position,
    Recommendation,
    SdgTarget,
    Source,
    StatusUpdate,
)


def set_if_changed(obj, **values) -> bool:
    """Assign only what differs, so an unchanged save writes (and audits) nothing."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def cluster_by_path(source: Source, titles: Sequence[str], create: bool = True) -> Cluster | None:
    """The source's cluster named by a path of titles from its root, created if allowed."""
    parent: Cluster | None = None
    for title in titles:
        query = select(Cluster).where(Cluster.source_id == source.id, Cluster.title == title)
        query = query.where(
            Cluster.parent_id.is_(None) if parent is None else Cluster.parent_id == parent.id
        )
        node = db.session.scalars(query).first()
        if node is None:
            if not create:
                return None
            siblings = parent.children if parent else []
            node = Cluster(source=source, title=title, parent=parent, sort_order=len(siblings))
            db.session.add(node)
            db.session.flush()
        parent = node
    return parent


def countries_named(names: Iterable[str]) -> list[Country]:
    """Recommending States by name, created when first seen."""
    found = []
    for name in names:
        country = db.session.scalars(select(Country).where(Country.name == name)).first()
        if country is None:
            country = Country(name=name)
            db.session.add(country)
        found.append(country)
    return found


def by_codes(model, codes: Iterable[str]) -> list:
    """Rows of a reference table by code, in the order given; unknown codes raise KeyError."""
    codes = list(codes)
    if not codes:
        return []
    rows = {r.code: r for r in db.session.scalars(select(model).where(model.code.in_(codes)))}
    missing = [c for c in codes if c not in rows]
    if missing:
        raise KeyError(", ".join(missing))
    return [rows[c] for c in codes]


def set_links(rec: Recommendation, *, states=None, sdg_targets=None, groups=None) -> None:
    """Replace the many-valued links of a recommendation (None leaves a link untouched)."""
    if states is not None and [c.name for c in rec.states] != list(states):
        rec.states = countries_named(states)
    if sdg_targets is not None and sorted(t.code for t in rec.sdg_targets) != sorted(sdg_targets):
        rec.sdg_targets = by_codes(SdgTarget, sdg_targets)
    if groups is not None and sorted(g.code for g in rec.groups) != sorted(groups):
        rec.groups = by_codes(AffectedGroup, groups)


@dataclass(frozen=True)
class AssignmentSpec:
    body_code: str
    role: AssignmentRole
    deadline_text: str | None = None
    deadline: date | None = None  # an explicit date wins over the text's parsed date
    precision: DeadlinePrecision | None = None
    keep_existing_deadline: bool = False  # only a newly made assignment takes the deadline


def sync_assignments(rec: Recommendation, specs: Sequence[AssignmentSpec]) -> None:
    """Make the recommendation's assignments match the specs: bodies no longer named are
    unassigned, new ones assigned, changed roles and deadlines updated (the parsed date and its
    precision always come from the text as written)."""
    bodies = dict(
        zip((s.body_code for s in specs), by_codes(Body, [s.body_code for s in specs]), strict=True)
    )
    wanted = {bodies[s.body_code].id: s for s in specs}
    for assignment in list(rec.assignments):
        if assignment.body_id not in wanted:
            rec.assignments.remove(assignment)
    existing = {a.body_id: a for a in rec.assignments}
    for body_id, spec in wanted.items():
        assignment = existing.get(body_id)
        if assignment is None:
            assignment = Assignment(body=bodies[spec.body_code], role=spec.role)
            rec.assignments.append(assignment)
        elif spec.keep_existing_deadline:
            set_if_changed(assignment, role=spec.role)
            continue
        set_deadline(assignment, spec.deadline_text, spec.deadline, spec.precision)
        set_if_changed(assignment, role=spec.role)
    refresh_due_date(rec)


def refresh_due_date(rec: Recommendation) -> None:
    """Keep the cached earliest deadline in step with the assignments."""
    dates = [a.deadline for a in rec.assignments if a.deadline is not None]
    set_if_changed(rec, due_date=min(dates) if dates else None)


def set_deadline(
    assignment: Assignment,
    text: str | None,
    due: date | None = None,
    precision: DeadlinePrecision | None = None,
) -> None:
    """Keep the text as written; the date and precision are parsed from it unless given."""
    parsed = parse_deadline(text)
    if due is not None:
        parsed = Deadline(due, precision or DeadlinePrecision.DAY)
    set_if_changed(
        assignment,
        deadline_text=(text or None),
        deadline=parsed.date,
        deadline_precision=parsed.precision,
        recurrence=parsed.recurrence,
    )


class StaleEdit(Exception):
    """Someone else changed the recommendation since the form was opened."""


class RegisterError(ValueError):
    """A rule of the register was broken; the message says which."""


@dataclass
class RecommendationData:
    code: str
    source: Source
    cluster: Cluster | None
    text: str
    text_lo: str | None = None
    position: Position = Position.NOT_APPLICABLE
    states: list[str] | None = None
    sdg_targets: list[str] | None = None
    groups: list[str] | None = None
    fields: dict | None = None  # the remaining plain columns (location, workshop fields, ...)


def save_recommendation(
    rec: Recommendation | None, data: RecommendationData, expected_version: int | None = None
) -> Recommendation:
    """Create (rec is None) or edit a recommendation. An edit based on an old version of the item
    is refused with StaleEdit instead of overwriting what someone else saved."""
    if rec is not None and expected_version is not None and rec.version != expected_version:
        raise StaleEdit(rec.code)
    clash = db.session.scalars(
        select(Recommendation).where(Recommendation.code == data.code)
    ).first()
    if clash is not None and clash is not rec:
        raise RegisterError(_("the code %(code)s is already used", code=data.code))
    if data.cluster is not None and data.cluster.source_id != data.source.id:
        raise RegisterError(_("the cluster belongs to another source"))
    if rec is None:
        rec = Recommendation(code=data.code, source=data.source, text=data.text)
        db.session.add(rec)
    set_if_changed(
        rec,
        code=data.code,
        source=data.source,
        cluster=data.cluster,
        text=data.text,
        text_lo=data.text_lo or None,
        position=data.position,
        **(data.fields or {}),
    )
    set_links(rec, states=data.states, sdg_targets=data.sdg_targets, groups=data.groups)
    db.session.flush()
    return rec


def set_archived(rec: Recommendation, archived: bool, expected_version: int | None = None) -> None:
    if expected_version is not None and rec.version != expected_version:
        raise StaleEdit(rec.code)
    rec.archived = archived
    db.session.flush()


def assign(
    rec: Recommendation,
    body: Body,
    role: AssignmentRole,
    deadline_text: str | None,
    due: date | None = None,
    precision: DeadlinePrecision | None = None,
) -> Assignment:
    """Assign a body (or change its assignment). A new lead makes the former lead supporting:
    a recommendation has at most one lead body."""
    assignment = next((a for a in rec.assignments if a.body_id == body.id), None)
    if assignment is None:
        assignment = Assignment(body=body, role=role)
        rec.assignments.append(assignment)
    if role is AssignmentRole.LEAD:
        for other in rec.assignments:
            if other is not assignment and other.role is AssignmentRole.LEAD:
                other.role = AssignmentRole.SUPPORTING
    set_if_changed(assignment, role=role)
    set_deadline(assignment, deadline_text, due, precision)
    refresh_due_date(rec)
    db.session.flush()
    return assignment


def unassign(assignment: Assignment) -> None:
    """Remove a body from a recommendation. Its updates stay in the history, unlinked."""
    db.session.execute(
        update(StatusUpdate)
        .where(StatusUpdate.assignment_id == assignment.id)
        .values(assignment_id=None)
    )
    rec = assignment.recommendation
    rec.assignments.remove(assignment)
    refresh_due_date(rec)
    db.session.flush()


def bulk_assign(
    recs: Sequence[Recommendation],
    body: Body,
    role: AssignmentRole,
    deadline_text: str | None,
    due: date | None = None,
    precision: DeadlinePrecision | None = None,
) -> int:
    for rec in recs:
        assign(rec, body, role, deadline_text, due, precision)
    return len(recs)
