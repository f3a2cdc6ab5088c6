"""Reading the register: the filtered list and its options, shared by the page and the export."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Assignment, Body, Cluster, Recommendation, Source, Status


@dataclass
class RegisterFilter:
    source: str | None = None  # source code
    cluster: int | None = None  # includes sub-clusters
    body: str | None = None  # body code, lead or supporting
    status: str | None = None  # Status value
    q: str | None = None

    @classmethod
    def from_args(cls, args) -> RegisterFilter:
        cluster = args.get("cluster", type=int)
        status = args.get("status") or None
        if status and status not in {s.value for s in Status}:
            status = None
        return cls(
            source=args.get("source") or None,
            cluster=cluster,
            body=args.get("body") or None,
            status=status,
            q=(args.get("q") or "").strip() or None,
        )


def descendant_ids(cluster_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for cid, parent in db.session.execute(select(Cluster.id, Cluster.parent_id)):
        children.setdefault(parent, []).append(cid)
    found, stack = [], [cluster_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def register_query(f: RegisterFilter) -> Select:
    query = select(Recommendation).where(Recommendation.archived.is_(False))
    if f.source:
        query = query.join(Recommendation.source).where(Source.code == f.source)
    if f.cluster:
        query = query.where(Recommendation.cluster_id.in_(descendant_ids(f.cluster)))
    if f.body:
        query = query.where(
            exists().where(
                Assignment.recommendation_id == Recommendation.id,
                Assignment.body_id == Body.id,
                Body.code == f.body,
            )
        )
    if f.status:
        query = query.where(Recommendation.status == Status.from_value(f.status))
    if f.q:
        like = f"%{f.q}%"
        query = query.where(
            or_(
                Recommendation.text.ilike(like),
                Recommendation.text_lo.ilike(like),
                Recommendation.code.ilike(like),
            )
        )
    return query.order_by(Recommendation.code)


def with_details(query: Select) -> Select:
    return query.options(
        selectinload(Recommendation.source),
        selectinload(Recommendation.cluster).selectinload(Cluster.parent),
        selectinload(Recommendation.assignments).selectinload(Assignment.body),
        selectinload(Recommendation.states),
        selectinload(Recommendation.sdg_targets),
    )


def filter_options() -> dict:
    clusters = db.session.scalars(select(Cluster).options(selectinload(Cluster.parent))).all()
    return {
        "sources": db.session.scalars(select(Source).order_by(Source.code)).all(),
        "clusters": sorted(clusters, key=lambda c: c.path_text),
        "bodies": db.session.scalars(select(Body).order_by(Body.code)).all(),
        "statuses": list(Status),
    }
