"""What the public transparency page reads: published, current recommendations only, counted with
the register's and the dashboard's own queries, and their validated updates with the evidence
marked public. Updates and evidence leave here as plain records holding only what may be shown
(no author, reviewer, comment or note), so that a template cannot reach anything else."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from tracker.dashboard import queries as figures
from tracker.dashboard.cache import cached
from tracker.extensions import db
from tracker.models import (
    Assignment,
    Body,
    Cluster,
    Evidence,
    Recommendation,
    ReviewState,
    SdgGoal,
    Status,
    StatusUpdate,
)
from tracker.register.queries import RegisterFilter, register_query, with_details

# The filters the public list offers; every other filter keeps its default (current items).
PUBLIC_FILTERS = ("q", "cluster", "sdg", "body", "role", "status", "progress")


def public_filter(args) -> RegisterFilter:
    """The public list's filter from URL arguments: only the public filters, always restricted
    to published items that are not archived, whatever else the URL says."""
    full = RegisterFilter.from_args(args)
    return RegisterFilter(**{name: getattr(full, name) for name in PUBLIC_FILTERS}, published=True)


def published_query(f: RegisterFilter, today: date) -> Select:
    """The register's query for the filter, restricted to published, current items whatever
    the filter says."""
    return with_details(register_query(replace(f, published=True, archived=False), today))


# -- the index --------------------------------------------------------------------------------


@dataclass
class Overview:
    headline: figures.Headline
    clusters: list[figures.Row]
    goals: list[figures.Row]
    bodies: list[figures.Row]


def _overview(f: RegisterFilter, today: date) -> Overview:
    return Overview(
        headline=figures.headline(f, today),
        clusters=figures.by_cluster(f, today),
        goals=figures.by_sdg_goal(f, today),
        bodies=figures.by_lead_body(f, today),
    )


def overview(today: date) -> Overview:
    """Counts of the published items by status, and by top-level cluster, SDG goal and lead
    body: the dashboard's grouped queries, kept until the data changes as the dashboard's are."""
    return cached("public-overview", RegisterFilter(published=True), today, _overview)


def filter_options(today: date) -> dict:
    """The choices of the list's filters: only clusters (with their parents), goals and bodies
    that published items have, so that nothing names what is not published."""
    published = (
        select(Recommendation.id)
        .where(Recommendation.published.is_(True), Recommendation.archived.is_(False))
        .scalar_subquery()
    )
    clusters = {c.id: c for c in db.session.scalars(select(Cluster))}
    shown: set[int] = set()
    used = select(Recommendation.cluster_id).where(Recommendation.id.in_(published)).distinct()
    for cluster_id in db.session.scalars(used):
        node = clusters.get(cluster_id)
        while node is not None and node.id not in shown:
            shown.add(node.id)
            node = clusters.get(node.parent_id)
    bodies = select(Assignment.body_id).where(Assignment.recommendation_id.in_(published))
    ordered = sorted(
        (clusters[i] for i in shown), key=lambda c: (c.source.code, [x.sort_order for x in c.path])
    )
    return {
        "clusters": ordered,
        "bodies": db.session.scalars(
            select(Body).where(Body.id.in_(bodies)).order_by(Body.code)
        ).all(),
        "goals": db.session.scalars(
            select(SdgGoal)
            .where(SdgGoal.number.in_([int(r.args["sdg"]) for r in overview(today).goals]))
            .order_by(SdgGoal.number)
        ).all(),
        "statuses": list(Status),
    }


# -- one recommendation -----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEvidence:
    id: int
    filename: str | None  # a file, downloaded through the public route
    size: int | None
    url: str | None  # or a link


@dataclass(frozen=True)
class PublicUpdate:
    reported_on: date
    status: Status
    percent: int | None
    narrative: str
    evidence: tuple[PublicEvidence, ...]


def published_recommendation(code: str) -> Recommendation | None:
    return db.session.scalars(
        with_details(
            select(Recommendation).where(
                Recommendation.code == code,
                Recommendation.published.is_(True),
                Recommendation.archived.is_(False),
            )
        ).options(selectinload(Recommendation.cluster).selectinload(Cluster.parent))
    ).first()


def validated_updates(rec: Recommendation) -> list[PublicUpdate]:
    """The validated updates, newest action first (the register's order); submitted and
    returned ones are never read."""
    updates = db.session.scalars(
        select(StatusUpdate)
        .where(
            StatusUpdate.recommendation_id == rec.id,
            StatusUpdate.review_state == ReviewState.VALIDATED,
        )
        .options(selectinload(StatusUpdate.evidence))
        .order_by(StatusUpdate.reported_on.desc(), StatusUpdate.id.desc())
    ).all()
    return [
        PublicUpdate(
            reported_on=u.reported_on,
            status=u.status,
            percent=u.percent,
            narrative=u.narrative,
            evidence=tuple(
                PublicEvidence(e.id, e.filename if e.stored_name else None, e.size, e.url)
                for e in u.evidence
                if e.public
            ),
        )
        for u in updates
    ]


def public_evidence_file(evidence_id: int) -> Evidence | None:
    """An evidence file that is marked public, of a validated update of a published, current
    recommendation; None otherwise (the caller answers 404, whichever condition failed)."""
    return db.session.scalars(
        select(Evidence)
        .join(StatusUpdate, Evidence.update_id == StatusUpdate.id)
        .join(Recommendation, StatusUpdate.recommendation_id == Recommendation.id)
        .where(
            Evidence.id == evidence_id,
            Evidence.public.is_(True),
            Evidence.stored_name.is_not(None),
            StatusUpdate.review_state == ReviewState.VALIDATED,
            Recommendation.published.is_(True),
            Recommendation.archived.is_(False),
        )
    ).first()
