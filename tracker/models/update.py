"""Status updates: append-only, dated and authored; reviewed by the secretariat."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, enum_column, utcnow
from tracker.models.enums import ReviewState, Status

if TYPE_CHECKING:
    from tracker.models.body import Assignment
    from tracker.models.recommendation import Recommendation
    from tracker.models.user import User


class StatusUpdate(Base):
    """What a body reports about a recommendation on a date. Never edited: a correction is a new
    update; only the review fields move (submitted -> validated | returned)."""

    __tablename__ = "status_update"
    __table_args__ = (
        Index("ix_status_update_rec_review", "recommendation_id", "review_state", "reported_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE")
    )
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_label: Mapped[str | None] = mapped_column(String(200))
    reported_on: Mapped[date]
    status: Mapped[Status] = mapped_column(enum_column(Status))
    percent: Mapped[int | None]
    narrative: Mapped[str] = mapped_column(Text, default="")
    source_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review_state: Mapped[ReviewState] = mapped_column(
        enum_column(ReviewState), default=ReviewState.SUBMITTED
    )
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)
    # A resubmission after a return points at the update it replaces (which stays as it was).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("status_update.id"))

    recommendation: Mapped[Recommendation] = relationship(back_populates="updates")
    replaces: Mapped[StatusUpdate | None] = relationship(remote_side=[id])
    assignment: Mapped[Assignment | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    evidence: Mapped[list[Evidence]] = relationship(back_populates="update", order_by="Evidence.id")


class Evidence(Base):
    """A link or an uploaded file supporting an update. Files live outside static/ under a random
    name and are served only through an authorised route."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("status_update.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    public: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    update: Mapped[StatusUpdate] = relationship(back_populates="evidence")
    uploaded_by: Mapped[User | None] = relationship()
