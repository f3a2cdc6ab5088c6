"""Responsible bodies and their assignments to recommendations."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, enum_column
from tracker.models.enums import AssignmentRole, BodyKind, DeadlinePrecision

if TYPE_CHECKING:
    from tracker.models.recommendation import Recommendation
    from tracker.models.user import User


class Body(Base):
    __tablename__ = "body"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    acronym: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    name_lo: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[BodyKind] = mapped_column(enum_column(BodyKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("body.id"))
    head_email: Mapped[str | None] = mapped_column(String(254))

    parent: Mapped[Body | None] = relationship(remote_side=[id])
    assignments: Mapped[list[Assignment]] = relationship(back_populates="body")

    @property
    def label(self) -> str:
        return self.acronym or self.name

    def __repr__(self) -> str:
        return f"<Body {self.code}>"


assignment_focal_point = Table(
    "assignment_focal_point",
    Base.metadata,
    Column("assignment_id", ForeignKey("assignment.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class Assignment(Base):
    """A body charged with a recommendation, as lead or supporting, with its own deadline.
    The deadline text is kept exactly as written beside the parsed date and its precision."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("recommendation_id", "body_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(enum_column(AssignmentRole))
    deadline: Mapped[date | None] = mapped_column(index=True)
    deadline_precision: Mapped[DeadlinePrecision] = mapped_column(
        enum_column(DeadlinePrecision), default=DeadlinePrecision.UNKNOWN
    )
    deadline_text: Mapped[str | None] = mapped_column(Text)
    recurrence: Mapped[str | None] = mapped_column(String(40))

    recommendation: Mapped[Recommendation] = relationship(back_populates="assignments")
    body: Mapped[Body] = relationship(back_populates="assignments")
    focal_points: Mapped[list[User]] = relationship(secondary=assignment_focal_point)

    @property
    def needs_date(self) -> bool:
        return self.deadline is None and self.recurrence is None

    def __repr__(self) -> str:
        return f"<Assignment {self.body_id} {self.role.name} of {self.recommendation_id}>"
