"""Reminders: settings, Lao public holidays, and the outbox of messages.

Generating and sending are separate steps. The database is the source of truth: a reminder
event (recipient + rule + item + period) is unique, and so is a digest (recipient + day), so a
restart or a second scheduler never queues the same reminder twice; a message is claimed by an
atomic state change before it is sent, so it is never sent twice."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from tracker.models.user import User


class Setting(Base):
    """A named setting the secretariat can change (e.g. the reminder rules), as JSON."""

    __tablename__ = "setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[dict] = mapped_column(JSON)


class Holiday(Base):
    """A Lao public holiday: not a working day for reminders."""

    __tablename__ = "holiday"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_lo: Mapped[str | None] = mapped_column(String(200))


class MessageState(enum.Enum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_state_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # recipient + kind + period: one digest per recipient per run day.
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    recipient_email: Mapped[str] = mapped_column(String(254), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    items: Mapped[list] = mapped_column(JSON, default=list)  # recommendation codes
    run_date: Mapped[date] = mapped_column(index=True)
    state: Mapped[MessageState] = mapped_column(
        enum_column(MessageState), default=MessageState.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recipient: Mapped[User | None] = relationship()
    events: Mapped[list[ReminderEvent]] = relationship(back_populates="message")


class ReminderEvent(Base):
    """One rule firing for one item and one recipient in one period: unique, so that it is
    queued once whatever runs the sweep, and how often."""

    __tablename__ = "reminder_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)  # recipient|rule|item|period
    rule: Mapped[str] = mapped_column(String(40))
    recipient_email: Mapped[str] = mapped_column(String(254))
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[OutboxMessage] = relationship(back_populates="events")
