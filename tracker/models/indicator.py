"""Indicators: a baseline and a target, and actual values reported per period."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, enum_column, utcnow
from tracker.models.enums import IndicatorDirection, ReviewState

if TYPE_CHECKING:
    from tracker.models.recommendation import Recommendation
    from tracker.models.source import Source
    from tracker.models.user import User

Number = Numeric(18, 4)


class Indicator(Base):
    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    name_lo: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(60))
    direction: Mapped[IndicatorDirection] = mapped_column(
        enum_column(IndicatorDirection), default=IndicatorDirection.INCREASE
    )
    framework: Mapped[str | None] = mapped_column(String(200))
    baseline_value: Mapped[Decimal | None] = mapped_column(Number)
    baseline_year: Mapped[int | None]
    target_value: Mapped[Decimal | None] = mapped_column(Number)
    target_year: Mapped[int | None]
    target_text: Mapped[str | None] = mapped_column(Text)
    location_section: Mapped[str | None] = mapped_column(Text)
    location_line: Mapped[int | None]

    source: Mapped[Source] = relationship()
    recommendation: Mapped[Recommendation | None] = relationship(back_populates="indicators")
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", order_by="IndicatorValue.period"
    )


class IndicatorValue(Base):
    """An actual value for a period, entered and reviewed like a status update."""

    __tablename__ = "indicator_value"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(Number)
    source_note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review_state: Mapped[ReviewState] = mapped_column(
        enum_column(ReviewState), default=ReviewState.SUBMITTED
    )
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("indicator_value.id"))

    indicator: Mapped[Indicator] = relationship(back_populates="values")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
