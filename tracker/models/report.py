"""Follow-up reports: the editable cover of a source's report, and the history of every report
file generated (who, when, with which parameters), kept so that anyone can fetch it again."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from tracker.models.source import Source
    from tracker.models.user import User


class ReportCover(Base):
    """Cover and introduction of a source's report, in English and Lao, as the secretariat
    wrote them. Without a row, defaults derived from the source are used."""

    __tablename__ = "report_cover"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(Text)
    title_lo: Mapped[str | None] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    subtitle_lo: Mapped[str | None] = mapped_column(Text)
    introduction: Mapped[str | None] = mapped_column(Text)
    introduction_lo: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    source: Mapped[Source] = relationship()
    updated_by: Mapped[User | None] = relationship()


class GeneratedReport(Base):
    """One generated report file. The file lives under the instance folder with a random name
    and is served only through an authorised route."""

    __tablename__ = "generated_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    as_of: Mapped[date]
    include_pending: Mapped[bool] = mapped_column(default=False)
    format: Mapped[str] = mapped_column(String(10))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    source: Mapped[Source] = relationship()
    author: Mapped[User | None] = relationship()
