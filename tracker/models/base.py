"""Declarative base with a constraint naming convention (stable Alembic migrations on SQLite and
PostgreSQL) and the small column helpers every model uses."""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, String, event
from sqlalchemy.orm import DeclarativeBase, Mapper
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Lao has spellings that look the same on screen but are different characters: the vowel AM as
# one letter (ຳ) or as NIGGAHITA + AA (ໍ + າ, as in parts of the UXO SWG report), and the
# ligatures ໜ / ໝ or ຫ + ນ / ຫ + ມ. Text is stored in one spelling, and search terms are put in
# the same one, so that a search finds the word however it was typed.
_LAO_SPELLINGS = (
    ("\u0ecd\u0eb2", "\u0eb3"),  # ໍ + າ -> ຳ
    ("\u0eab\u0e99", "\u0edc"),  # ຫ + ນ -> ໜ
    ("\u0eab\u0ea1", "\u0edd"),  # ຫ + ມ -> ໝ
)
_LAO = re.compile("[\u0e80-\u0eff]")


def normalize_lao(text: str) -> str:
    """The one stored spelling of a text that contains Lao (other text is returned unchanged)."""
    if not _LAO.search(text):
        return text
    text = unicodedata.normalize("NFC", text)
    for written, stored in _LAO_SPELLINGS:
        text = text.replace(written, stored)
    return text


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _store_one_lao_spelling(mapper: Mapper, connection, target) -> None:
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if isinstance(column.type, String):
            value = getattr(target, attr.key, None)
            if isinstance(value, str) and (normal := normalize_lao(value)) != value:
                setattr(target, attr.key, normal)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """Store an enumeration by name in a plain VARCHAR (no native ENUM type to migrate)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=max(len(m.name) for m in enum_cls),
        validate_strings=True,
    )
