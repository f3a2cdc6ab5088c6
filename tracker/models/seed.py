"""What the seed loader last applied, so that re-seeding touches only entries edited since."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class SeedRecord(Base):
    __tablename__ = "seed_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(1000), unique=True)  # e.g. "recommendation:UPR3-A-01"
    digest: Mapped[str] = mapped_column(String(64))
