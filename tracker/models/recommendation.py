"""A recommendation: one actionable item from a source, with its links to States, SDG targets and
affected groups. Its status is derived from its latest validated update and cached here."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, enum_column, utcnow
from tracker.models.enums import AssignmentRole, Position, Status

if TYPE_CHECKING:
    from tracker.models.body import Assignment
    from tracker.models.indicator import Indicator
    from tracker.models.source import Cluster, Source
    from tracker.models.update import StatusUpdate


def _link_table(name: str, other: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(
            "recommendation_id",
            ForeignKey("recommendation.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(f"{other}_id", ForeignKey(f"{other}.id", ondelete="CASCADE"), primary_key=True),
    )


recommendation_state = _link_table("recommendation_state", "country")
recommendation_sdg_target = _link_table("recommendation_sdg_target", "sdg_target")
recommendation_group = _link_table("recommendation_group", "affected_group")


class Country(Base):
    """A recommending State."""

    __tablename__ = "country"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_lo: Mapped[str | None] = mapped_column(String(200))


class SdgGoal(Base):
    __tablename__ = "sdg_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_lo: Mapped[str | None] = mapped_column(String(300))
    targets: Mapped[list[SdgTarget]] = relationship(back_populates="goal")


class SdgTarget(Base):
    __tablename__ = "sdg_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("sdg_goal.id"))
    title: Mapped[str] = mapped_column(Text)
    title_lo: Mapped[str | None] = mapped_column(Text)
    goal: Mapped[SdgGoal] = relationship(back_populates="targets")


class AffectedGroup(Base):
    __tablename__ = "affected_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_lo: Mapped[str | None] = mapped_column(String(200))


class Recommendation(Base):
    __tablename__ = "recommendation"
    # Covering indexes for the register's commonest filters and sorts, so that counting the
    # matches of a filter reads an index, not 100,000 rows.
    __table_args__ = (
        Index("ix_recommendation_listing", "archived", "due_date", "status"),
        Index("ix_recommendation_status_due", "archived", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    text_lo: Mapped[str | None] = mapped_column(Text)
    position: Mapped[Position] = mapped_column(
        enum_column(Position), default=Position.NOT_APPLICABLE
    )
    # Where the item stands in its source document.
    location_section: Mapped[str | None] = mapped_column(Text)
    location_paragraph: Mapped[str | None] = mapped_column(String(100))
    location_row: Mapped[int | None]
    location_line: Mapped[int | None]
    nsedp_outcome: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)
    # Workshop action points, each as written.
    indicator_text: Mapped[str | None] = mapped_column(Text)
    means_of_verification: Mapped[str | None] = mapped_column(Text)
    time_frame: Mapped[str | None] = mapped_column(Text)
    required_resources: Mapped[str | None] = mapped_column(Text)
    responsible_party: Mapped[str | None] = mapped_column(Text)
    missing_capacities: Mapped[str | None] = mapped_column(Text)
    # Cache of the latest validated update, kept in sync by updates.services.refresh_status.
    status: Mapped[Status] = mapped_column(
        enum_column(Status), default=Status.NOT_STARTED, index=True
    )
    status_percent: Mapped[int | None]
    status_date: Mapped[date | None]
    # Cache of the earliest dated deadline among its assignments (register filters and sorting),
    # kept in sync by register.services.refresh_due_date.
    due_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: a stale edit is refused rather than silently overwriting.
    version: Mapped[int] = mapped_column(default=1)

    source: Mapped[Source] = relationship(back_populates="recommendations")
    cluster: Mapped[Cluster | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    states: Mapped[list[Country]] = relationship(
        secondary=recommendation_state, order_by="Country.name"
    )
    sdg_targets: Mapped[list[SdgTarget]] = relationship(
        secondary=recommendation_sdg_target, order_by="SdgTarget.id"
    )
    groups: Mapped[list[AffectedGroup]] = relationship(
        secondary=recommendation_group, order_by="AffectedGroup.code"
    )
    updates: Mapped[list[StatusUpdate]] = relationship(
        back_populates="recommendation", order_by="StatusUpdate.id"
    )
    indicators: Mapped[list[Indicator]] = relationship(back_populates="recommendation")

    __mapper_args__ = {"version_id_col": version}

    @property
    def lead(self) -> Assignment | None:
        return next((a for a in self.assignments if a.role is AssignmentRole.LEAD), None)

    @property
    def supporting(self) -> list[Assignment]:
        return [a for a in self.assignments if a.role is AssignmentRole.SUPPORTING]

    def __repr__(self) -> str:
        return f"<Recommendation {self.code}>"
