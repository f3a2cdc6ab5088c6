"""The dashboard's figures: grouped aggregates over the register's own query, so that every number
is counted with exactly the conditions of the register link it points to.

Each breakdown is one grouped query (key × status, with an overdue count) built on
`register_query(filter)`; rows carry the register arguments that select their items."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Select, and_, case, distinct, func, select

from tracker.extensions import db
from tracker.models import (
    Assignment,
    AssignmentRole,
    Body,
    Cluster,
    Country,
    Recommendation,
    SdgGoal,
    SdgTarget,
    Source,
    Status,
)
from tracker.models.recommendation import recommendation_sdg_target, recommendation_state
from tracker.register.queries import (
    PROGRESSING,
    RegisterFilter,
    count_of,
    overdue_condition,
    register_query,
)

# The register filters the dashboard offers; the rest of RegisterFilter is what its links add.
DASHBOARD_FILTERS = ("source", "cycle", "body", "cluster", "due_from", "due_to")


def dashboard_filter(args) -> RegisterFilter:
    """The dashboard's filter from URL arguments: only the filters the dashboard offers."""
    full = RegisterFilter.from_args(args)
    return RegisterFilter(**{name: getattr(full, name) for name in DASHBOARD_FILTERS})


@dataclass
class Row:
    """One line of a breakdown: a label, the register arguments that select its items, and its
    counts by status (plus how many of them are overdue)."""

    label: str
    args: dict[str, str]
    counts: dict[Status, int] = field(default_factory=dict)
    overdue: int = 0
    label_lo: str | None = None  # shown on Lao pages when there is one
    prefix: str = ""  # e.g. the source code of a cluster
    drill: int | None = None  # a cluster with sub-clusters: the dashboard can zoom into it

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, other: Row) -> None:
        for status, n in other.counts.items():
            self.counts[status] = self.counts.get(status, 0) + n
        self.overdue += other.overdue


def _base(f: RegisterFilter, today: date) -> Select:
    """The register's query for the filter, stripped of its columns and order."""
    return (
        register_query(f, today)
        .order_by(None)
        .with_only_columns(Recommendation.status, maintain_column_froms=True)
    )


def _grouped(f: RegisterFilter, today: date, key, joins=(), where=(), distinct_ids=False):
    """{key: Row-counts} from one grouped query. `distinct_ids` when a join may repeat an item
    (an item with two SDG targets of one goal counts once for that goal)."""
    overdue = overdue_condition(today)
    if distinct_ids:
        n = func.count(distinct(Recommendation.id))
        late = func.count(distinct(case((overdue, Recommendation.id))))
    else:
        n = func.count()
        late = func.sum(case((overdue, 1), else_=0))
    query = _base(f, today).add_columns(key, n, late)
    for target, on in joins:
        query = query.join(target, on)
    query = query.where(*where).group_by(key, Recommendation.status)
    found: dict = defaultdict(lambda: Row("", {}))
    for status, k, count, late_count in db.session.execute(query):
        row = found[k]
        row.counts[status] = count
        row.overdue += int(late_count or 0)
    return found


# -- headline ---------------------------------------------------------------------------------


@dataclass
class Headline:
    by_status: dict[Status, int]
    overdue: int
    needs_date: int
    pending: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def progressing(self) -> int:
        return sum(self.by_status.get(s, 0) for s in PROGRESSING)

    @property
    def progress_share(self) -> int | None:
        """Implemented or in progress, in whole percent of all items (None when there are none)."""
        return round(100 * self.progressing / self.total) if self.total else None


def headline(f: RegisterFilter, today: date) -> Headline:
    late = func.sum(case((overdue_condition(today), 1), else_=0))
    query = _base(f, today).add_columns(func.count(), late).group_by(Recommendation.status)
    by_status, overdue = {}, 0
    for status, n, late_count in db.session.execute(query):
        by_status[status] = n
        overdue += int(late_count or 0)
    return Headline(
        by_status=by_status,
        overdue=overdue,
        needs_date=count_of(register_query(replace(f, needs_date=True), today)),
        pending=count_of(register_query(replace(f, pending=True), today)),
    )


# -- breakdowns -------------------------------------------------------------------------------


def by_source(f: RegisterFilter, today: date) -> list[Row]:
    found = _grouped(f, today, Recommendation.source_id)
    sources = db.session.scalars(select(Source).where(Source.id.in_(found))).all()
    rows = []
    for s in sorted(sources, key=lambda s: s.code):
        row = found[s.id]
        row.label, row.args = s.code, {"source": s.code}
        rows.append(row)
    return rows


def by_cluster(f: RegisterFilter, today: date) -> list[Row]:
    """Top-level clusters, or the sub-clusters of the filter's cluster; each counts its whole
    subtree, as the register's cluster filter does."""
    found = _grouped(f, today, Recommendation.cluster_id)
    clusters = {c.id: c for c in db.session.scalars(select(Cluster))}
    source_codes = dict(db.session.execute(select(Source.id, Source.code)).all())
    children: dict[int | None, list[Cluster]] = defaultdict(list)
    for c in clusters.values():
        children[c.parent_id].append(c)
    shown = children[f.cluster] if f.cluster else children[None]
    # Each item is counted under the shown cluster its own cluster descends from.
    row_of: dict[int, Row] = {}
    rows = []
    for c in sorted(shown, key=lambda c: (c.source_id, c.sort_order, c.title)):
        row = Row(c.title, {"cluster": str(c.id)}, label_lo=c.title_lo)
        row.drill = c.id if children[c.id] else None
        row.prefix = "" if f.source else source_codes[c.source_id]
        stack = [c.id]
        while stack:
            current = stack.pop()
            row_of[current] = row
            stack.extend(child.id for child in children[current])
        rows.append(row)
    for cluster_id, counts in found.items():
        if cluster_id in row_of:
            row_of[cluster_id].add(counts)
    return [r for r in rows if r.total]


def by_lead_body(f: RegisterFilter, today: date) -> list[Row]:
    """Items by their lead body. Under a body filter only that body's own row is shown: the
    register cannot combine "X takes part" with "Y leads", so no other row could be linked."""
    on = and_(
        Assignment.recommendation_id == Recommendation.id, Assignment.role == AssignmentRole.LEAD
    )
    where = ()
    if f.body:
        body_id = select(Body.id).where(Body.code == f.body).scalar_subquery()
        where = (Assignment.body_id == body_id,)
    found = _grouped(f, today, Assignment.body_id, joins=[(Assignment, on)], where=where)
    bodies = db.session.scalars(select(Body).where(Body.id.in_(found))).all()
    rows = []
    for b in bodies:
        row = found[b.id]
        row.label, row.args = b.label, {"body": b.code, "role": "lead"}
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.total, r.label))


def by_sdg_goal(f: RegisterFilter, today: date) -> list[Row]:
    link = recommendation_sdg_target.c
    joins = [
        (recommendation_sdg_target, link.recommendation_id == Recommendation.id),
        (SdgTarget, SdgTarget.id == link.sdg_target_id),
    ]
    found = _grouped(f, today, SdgTarget.goal_id, joins=joins, distinct_ids=True)
    goals = db.session.scalars(select(SdgGoal).where(SdgGoal.id.in_(found))).all()
    rows = []
    for g in sorted(goals, key=lambda g: g.number):
        row = found[g.id]
        row.label, row.label_lo, row.prefix = g.title, g.title_lo, str(g.number)
        row.args = {"sdg": str(g.number)}
        rows.append(row)
    return rows


def by_state(f: RegisterFilter, today: date) -> list[Row]:
    """Recommending States (UPR): how many recommendations each made, and where they stand."""
    link = recommendation_state.c
    joins = [(recommendation_state, link.recommendation_id == Recommendation.id)]
    found = _grouped(f, today, link.country_id, joins=joins)
    found_names = select(Country.id, Country.name).where(Country.id.in_(found))
    names = dict(db.session.execute(found_names).all())
    rows = []
    for country_id, name in names.items():
        row = found[country_id]
        row.label, row.args = name, {"state": name}
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.total, r.label))


# -- all of it --------------------------------------------------------------------------------


@dataclass
class Figures:
    """Everything the page counts for one filter: plain data, safe to keep between requests."""

    headline: Headline
    breakdowns: dict[str, list[Row]]


def compute_figures(f: RegisterFilter, today: date) -> Figures:
    return Figures(
        headline=headline(f, today),
        breakdowns={
            "source": by_source(f, today),
            "cluster": by_cluster(f, today),
            "body": by_lead_body(f, today),
            "sdg": by_sdg_goal(f, today),
            "state": by_state(f, today),
        },
    )
