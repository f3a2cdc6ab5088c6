"""Reading the register: the filtered, sorted list and its options, shared by the page, the
download and the bulk actions. Filters live in the URL so a view can be bookmarked and shared."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import (
    Assignment,
    AssignmentRole,
    Body,
    Cluster,
    Country,
    Position,
    Recommendation,
    ReviewState,
    SdgGoal,
    SdgTarget,
    Source,
    Status,
    StatusUpdate,
)
from tracker.models.base import normalize_lao
from tracker.models.recommendation import recommendation_sdg_target, recommendation_state

CLOSED = (Status.IMPLEMENTED, Status.NO_LONGER_RELEVANT)
# "Implemented or in progress": the dashboard's share of items that have moved.
PROGRESSING = (Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED)
SORTS = ("code", "-code", "deadline", "-deadline", "status", "-updated")


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass
class RegisterFilter:
    q: str | None = None
    source: str | None = None  # source code
    cycle: int | None = None
    cluster: int | None = None  # includes sub-clusters
    body: str | None = None  # body code
    role: str | None = None  # lead | supporting (with body); any when empty
    status: str | None = None  # Status value
    progress: bool = False  # implemented, partially implemented or in progress
    position: str | None = None  # Position value
    sdg: str | None = None  # goal number ("16") or target code ("16.3")
    state: str | None = None  # recommending State
    overdue: bool = False
    due_from: date | None = None
    due_to: date | None = None
    needs_date: bool = False
    pending: bool = False  # has an update waiting for validation
    archived: bool = False  # show archived items instead of current ones
    published: bool = False  # only published items (set by the public page, never from the URL)
    sort: str = "code"

    @classmethod
    def from_args(cls, args) -> RegisterFilter:
        def choice(name, allowed):
            value = args.get(name) or None
            return value if value in allowed else None

        return cls(
            q=(args.get("q") or "").strip() or None,
            source=args.get("source") or None,
            cycle=args.get("cycle", type=int),
            cluster=args.get("cluster", type=int),
            body=args.get("body") or None,
            role=choice("role", {"lead", "supporting"}),
            status=choice("status", {s.value for s in Status}),
            progress=args.get("progress") == "1",
            position=choice("position", {p.value for p in Position}),
            sdg=(args.get("sdg") or "").strip() or None,
            state=args.get("state") or None,
            overdue=args.get("overdue") == "1",
            due_from=_date(args.get("due_from")),
            due_to=_date(args.get("due_to")),
            needs_date=args.get("needs_date") == "1",
            pending=args.get("pending") == "1",
            archived=args.get("archived") == "1",
            sort=choice("sort", set(SORTS)) or "code",
        )

    def to_args(self) -> dict[str, str]:
        """The filter as URL arguments (for links that keep it)."""
        args = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, False, "") or (f.name == "sort" and value == "code"):
                continue
            args[f.name] = "1" if value is True else str(value)
        return args

    @property
    def active(self) -> bool:
        return any(k != "sort" for k in self.to_args())


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


def overdue_condition(today: date):
    """Overdue: the earliest deadline has passed and the item is not closed (shared with the
    dashboard, so that a count and its register link cannot disagree)."""
    return and_(Recommendation.due_date < today, Recommendation.status.not_in(CLOSED))


def register_query(f: RegisterFilter, today: date | None = None) -> Select:
    """Recommendations matching the filter. `today` (the caller's local date) is needed only by
    the overdue filter; nothing here reads the clock."""
    query = select(Recommendation).where(Recommendation.archived.is_(f.archived))
    if f.published:
        query = query.where(Recommendation.published.is_(True))
    if f.source or f.cycle:
        query = query.join(Recommendation.source)
        if f.source:
            query = query.where(Source.code == f.source)
        if f.cycle:
            query = query.where(Source.cycle == f.cycle)
    if f.cluster:
        query = query.where(Recommendation.cluster_id.in_(descendant_ids(f.cluster)))
    if f.body:
        body_id = db.session.scalar(select(Body.id).where(Body.code == f.body))
        assigned = select(Assignment.recommendation_id).where(Assignment.body_id == body_id)
        if f.role:
            assigned = assigned.where(Assignment.role == AssignmentRole.from_value(f.role))
        query = query.where(Recommendation.id.in_(assigned))
    if f.status:
        query = query.where(Recommendation.status == Status.from_value(f.status))
    if f.progress:
        query = query.where(Recommendation.status.in_(PROGRESSING))
    if f.position:
        query = query.where(Recommendation.position == Position.from_value(f.position))
    if f.sdg:
        target = (
            SdgTarget.code == f.sdg
            if "." in f.sdg
            else and_(SdgTarget.goal_id == SdgGoal.id, SdgGoal.number == _int(f.sdg))
        )
        query = query.where(
            exists().where(
                recommendation_sdg_target.c.recommendation_id == Recommendation.id,
                recommendation_sdg_target.c.sdg_target_id == SdgTarget.id,
                target,
            )
        )
    if f.state:
        query = query.where(
            exists().where(
                recommendation_state.c.recommendation_id == Recommendation.id,
                recommendation_state.c.country_id == Country.id,
                Country.name == f.state,
            )
        )
    # Deadlines: the earliest deadline of the item's assignments (cached as due_date).
    if f.overdue and today is not None:
        query = query.where(overdue_condition(today))
    if f.due_from:
        query = query.where(Recommendation.due_date >= f.due_from)
    if f.due_to:
        query = query.where(Recommendation.due_date <= f.due_to)
    if f.needs_date:
        # IN, not EXISTS: SQLite then reads the few undated assignments through the deadline
        # index instead of probing every item (640 ms -> 1 ms over 100,000 items).
        undated = select(Assignment.recommendation_id).where(
            Assignment.deadline.is_(None), Assignment.recurrence.is_(None)
        )
        query = query.where(Recommendation.id.in_(undated))
    if f.pending:
        query = query.where(
            exists().where(
                StatusUpdate.recommendation_id == Recommendation.id,
                StatusUpdate.review_state == ReviewState.SUBMITTED,
            )
        )
    if f.q:
        columns = (Recommendation.text, Recommendation.text_lo, Recommendation.code)
        query = query.where(or_(*(contains_text(c, f.q) for c in columns)))
    return _sorted(query, f.sort)


def contains_text(column, words: str):
    """Case-insensitive substring match. SQLite's LIKE already ignores ASCII case (Lao has no
    case), and is much faster than lower(...) LIKE lower(...) over a large table."""
    words = normalize_lao(words)
    like = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if db.engine.dialect.name == "sqlite":
        return column.like(like, escape="\\")
    return column.ilike(like, escape="\\")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


def _sorted(query: Select, sort: str) -> Select:
    if sort in ("deadline", "-deadline"):
        due = Recommendation.due_date
        key = due.asc() if sort == "deadline" else due.desc()
        return query.order_by(key.nulls_last(), Recommendation.code)
    if sort == "status":
        return query.order_by(Recommendation.status, Recommendation.code)
    if sort == "-updated":
        return query.order_by(Recommendation.updated_at.desc(), Recommendation.code)
    if sort == "-code":
        return query.order_by(Recommendation.code.desc())
    return query.order_by(Recommendation.code)


def count_of(query: Select) -> int:
    """How many rows a register query returns, counted on ids only."""
    ids = query.with_only_columns(Recommendation.id).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(ids))


def with_details(query: Select) -> Select:
    return query.options(
        selectinload(Recommendation.source),
        selectinload(Recommendation.cluster).selectinload(Cluster.parent),
        selectinload(Recommendation.assignments).selectinload(Assignment.body),
        selectinload(Recommendation.states),
        selectinload(Recommendation.sdg_targets),
    )
