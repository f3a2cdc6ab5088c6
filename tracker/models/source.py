"""Where recommendations come from: a source document and its thematic cluster tree."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, enum_column
from tracker.models.enums import SourceKind

if TYPE_CHECKING:
    from tracker.models.recommendation import Recommendation


class Source(Base):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind))
    title: Mapped[str] = mapped_column(Text)
    title_lo: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    document_date: Mapped[date | None]
    issuing_body: Mapped[str | None] = mapped_column(Text)
    cycle: Mapped[int | None]
    session: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None]
    seed_file: Mapped[str | None] = mapped_column(String(200))

    recommendations: Mapped[list[Recommendation]] = relationship(back_populates="source")

    def __repr__(self) -> str:
        return f"<Source {self.code}>"


class Cluster(Base):
    """A node of a source's thematic tree (e.g. "C. Economic, social and cultural rights" >
    "Right to health"). Titles are unique among siblings, so within a source a path of titles
    names one cluster."""

    __tablename__ = "cluster"
    __table_args__ = (UniqueConstraint("source_id", "parent_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_lo: Mapped[str | None] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(default=0)

    source: Mapped[Source] = relationship()
    parent: Mapped[Cluster | None] = relationship(back_populates="children", remote_side=[id])
    children: Mapped[list[Cluster]] = relationship(
        back_populates="parent", order_by="Cluster.sort_order"
    )

    @property
    def path(self) -> list[Cluster]:
        node, nodes = self, []
        while node is not None:
            nodes.append(node)
            node = node.parent
        return nodes[::-1]

    @property
    def path_text(self) -> str:
        return " > ".join(c.title for c in self.path)

    def __repr__(self) -> str:
        return f"<Cluster {self.path_text}>"
