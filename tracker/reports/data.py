"""The plain data a report is made of. The builders fill it from the as-of snapshot; every
format (HTML preview, PDF, DOCX, XLSX) renders this and nothing else, so they all show the
same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.models import Status

KINDS = ("midterm", "swg", "actionplan")
FORMATS = ("html", "docx", "pdf", "xlsx")


def has_lao(text: str | None) -> bool:
    """Whether a text contains Lao script (U+0E80–U+0EFF): it then needs a Lao font."""
    return bool(text) and any("\u0e80" <= ch <= "\u0eff" for ch in text)


@dataclass
class Cover:
    title: str
    title_lo: str | None = None
    subtitle: str | None = None
    subtitle_lo: str | None = None
    introduction: str | None = None
    introduction_lo: str | None = None


@dataclass
class Column:
    key: str
    label: str
    wide: bool = False  # the main text column: gets most of the width


@dataclass
class Row:
    """One line of a table. `cells` maps a column key to its text; several values in a cell
    are separate lines. `status` colours the status cell where there is one."""

    cells: dict[str, list[str]]
    status: Status | None = None
    level: int = 0  # nesting depth, for the summary's cluster tree
    total: bool = False  # a totals line

    def text(self, key: str) -> str:
        return "\n".join(self.cells.get(key, []))


@dataclass
class Group:
    """Rows under a sub-heading (a cluster), or under none."""

    title: str | None
    title_lo: str | None
    rows: list[Row] = field(default_factory=list)


@dataclass
class Section:
    """A numbered part of the report with its table: a heading in English and, where the
    template has one, in Lao."""

    heading: str
    heading_lo: str | None
    columns: list[Column]
    groups: list[Group] = field(default_factory=list)
    note: str | None = None
    # A section that only counts (the summary) is drawn compact, with totals emphasised.
    summary: bool = False

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


@dataclass
class Report:
    kind: str
    source_code: str
    source_title: str
    as_of: date
    generated_at: datetime
    include_pending: bool
    cover: Cover
    sections: list[Section]
    introduction_heading: str = ""
    introduction_heading_lo: str | None = None
    language: str = "en"  # of the headings and labels: the reader's when it was generated

    @property
    def filename_stem(self) -> str:
        stem = f"{self.kind}-{self.source_code}-{self.as_of.isoformat()}"
        return stem if self.language == "en" else f"{stem}-{self.language}"
