"""Import recommendations from CSV or XLSX in the exchange format: create or update by code.

Every row is checked before anything is kept; any problem means nothing is written and each
problem is reported as `row N, column X: what is wrong` (N as a spreadsheet shows it: the header
is row 1)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import select

from tracker.exchange.columns import COLUMNS, PATH_SEPARATOR, row_for, split_multi
from tracker.extensions import db
from tracker.models import (
    AssignmentRole,
    Body,
    DeadlinePrecision,
    Position,
    Recommendation,
    SdgTarget,
    Source,
    SourceKind,
    Status,
)
from tracker.models.base import utcnow
from tracker.register.services import (
    AssignmentSpec,
    cluster_by_path,
    set_if_changed,
    set_links,
    sync_assignments,
)
from tracker.updates.services import add_update


def problem_at(row: int, column: str, problem: str) -> str:
    """One problem, where a spreadsheet shows it: `row N, column X: what is wrong`."""
    return _("row %(row)d, column %(column)s: %(problem)s", row=row, column=column, problem=problem)


class ImportError_(Exception):
    """The file cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


# -- reading -----------------------------------------------------------------------------------
def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for each non-empty data row; checks the header."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportError_(
                [_("%(file)s: not a readable XLSX workbook (%(error)s)", file=filename, error=exc)]
            ) from exc
        raw = [
            [_cell_text(v) for v in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True)
        ]
        workbook.close()
    elif suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportError_(
                [
                    _(
                        "row %(row)d: the file is not UTF-8 (byte %(byte)d); "
                        "save it as 'CSV UTF-8' and try again",
                        row=line,
                        byte=exc.start,
                    )
                ]
            ) from exc
        try:
            raw = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ImportError_(
                [_("%(file)s: not a readable CSV file (%(error)s)", file=filename, error=exc)]
            ) from exc
    else:
        raise ImportError_([_("%(file)s: use a .csv or .xlsx file", file=filename)])
    if not raw:
        raise ImportError_([_("%(file)s: the file is empty", file=filename)])
    header = [h.strip() for h in raw[0]]
    problems = [problem_at(1, c, _("missing column")) for c in COLUMNS if c not in header]
    problems += [
        problem_at(1, h or _("(blank)"), _("unknown column"))
        for h in header
        if h not in COLUMNS and h
    ]
    dup = sorted({h for h in header if h and header.count(h) > 1})
    problems += [problem_at(1, h, _("column appears more than once")) for h in dup]
    if problems:
        raise ImportError_(problems)
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            problems.append(
                _(
                    "row %(row)d: %(cells)d cells, but the header has %(columns)d",
                    row=number,
                    cells=len(values),
                    columns=len(header),
                )
            )
            continue
        values = values + [""] * (len(header) - len(values))
        rows.append((number, {h: values[i].strip() for i, h in enumerate(header) if h}))
    if problems:
        raise ImportError_(problems)
    return rows


# -- checking ----------------------------------------------------------------------------------
@dataclass
class ParsedRow:
    number: int
    code: str
    source: Source
    cluster: list[str]
    text: str
    text_lo: str | None
    position: Position
    states: list[str]
    specs: list[AssignmentSpec]
    status: Status | None
    sdg_targets: list[str]


class _Checker:
    def __init__(self):
        self.sources = {s.code: s for s in db.session.scalars(select(Source))}
        self.bodies = set(db.session.scalars(select(Body.code)))
        self.targets = set(db.session.scalars(select(SdgTarget.code)))
        self.problems: list[str] = []

    def problem(self, number: int, column: str, message: str) -> None:
        self.problems.append(problem_at(number, column, message))

    def choice(self, number, row, column, enum_cls, default=None):
        value = row[column]
        if not value:
            return default
        try:
            return enum_cls.from_value(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum_cls)
            self.problem(
                number,
                column,
                _("%(value)r is not one of: %(allowed)s", value=value, allowed=allowed),
            )
            return default

    def row(self, number: int, row: dict[str, str]) -> ParsedRow | None:
        before = len(self.problems)
        code = row["code"]
        if not code:
            self.problem(number, "code", _("is required"))
        elif len(code) > 40:
            self.problem(number, "code", _("is longer than %(num)d characters", num=40))
        source = self.sources.get(row["source"])
        if not row["source"]:
            self.problem(number, "source", _("is required"))
        elif source is None:
            known = ", ".join(sorted(self.sources)) or _("none yet: run `flask seed` first")
            self.problem(
                number,
                "source",
                _(
                    "unknown source %(source)r (known: %(known)s)",
                    source=row["source"],
                    known=known,
                ),
            )
        kind = row["source_kind"]
        if source is not None and kind and kind.upper() != source.kind.name:
            self.problem(
                number,
                "source_kind",
                _(
                    "%(kind)r does not match source %(source)s (%(source_kind)s)",
                    kind=kind,
                    source=source.code,
                    source_kind=source.kind.name,
                ),
            )
        elif kind and kind.upper() not in SourceKind.__members__:
            self.problem(
                number,
                "source_kind",
                _("%(kind)r is not one of: UPR, RTIM, WORKSHOP, OTHER", kind=kind),
            )
        if not row["text"]:
            self.problem(number, "text", _("is required"))
        position = self.choice(number, row, "position", Position, Position.NOT_APPLICABLE)
        status = self.choice(number, row, "status", Status)
        precision = self.choice(number, row, "deadline_precision", DeadlinePrecision)
        due = None
        if row["deadline"]:
            try:
                due = date.fromisoformat(row["deadline"])
            except ValueError:
                self.problem(
                    number,
                    "deadline",
                    _("%(value)r is not a real date (use YYYY-MM-DD)", value=row["deadline"]),
                )
        if (
            due is None
            and precision
            in (
                DeadlinePrecision.DAY,
                DeadlinePrecision.MONTH,
                DeadlinePrecision.QUARTER,
                DeadlinePrecision.YEAR,
            )
            and not row["deadline_text"]
            and not row["deadline"]
        ):
            self.problem(
                number,
                "deadline",
                _("a %(precision)s deadline needs a date", precision=precision.value),
            )
        lead = row["lead_body"]
        supporting = split_multi(row["supporting_bodies"])
        for column, codes in (
            ("lead_body", [lead] if lead else []),
            ("supporting_bodies", supporting),
        ):
            for body in codes:
                if body not in self.bodies:
                    self.problem(number, column, _("unknown body %(body)r", body=body))
        if lead and lead in supporting:
            self.problem(
                number, "supporting_bodies", _("%(body)s is already the lead body", body=lead)
            )
        if len(set(supporting)) != len(supporting):
            self.problem(number, "supporting_bodies", _("a body is listed twice"))
        if not lead and (row["deadline"] or row["deadline_text"]):
            self.problem(number, "lead_body", _("a deadline is given but no lead body"))
        targets = split_multi(row["sdg_targets"])
        for target in targets:
            if target not in self.targets:
                self.problem(
                    number, "sdg_targets", _("unknown SDG target %(target)r", target=target)
                )
        if len(self.problems) > before:
            return None
        specs = []
        if lead:
            specs.append(
                AssignmentSpec(
                    lead, AssignmentRole.LEAD, row["deadline_text"] or None, due, precision
                )
            )
        specs += [
            AssignmentSpec(
                b,
                AssignmentRole.SUPPORTING,
                row["deadline_text"] or None,
                due,
                precision,
                keep_existing_deadline=True,
            )
            for b in supporting
        ]
        return ParsedRow(
            number=number,
            code=code,
            source=source,
            cluster=[p.strip() for p in row["cluster"].split(PATH_SEPARATOR.strip()) if p.strip()],
            text=row["text"],
            text_lo=row["text_lo"] or None,
            position=position,
            states=split_multi(row["recommending_states"]),
            specs=specs,
            status=status,
            sdg_targets=targets,
        )


def check_rows(rows: list[tuple[int, dict[str, str]]]) -> list[ParsedRow]:
    checker = _Checker()
    parsed, first_seen = [], {}
    for number, row in rows:
        if row["code"] in first_seen:
            checker.problem(
                number,
                "code",
                _(
                    "duplicate code %(code)r (also on row %(row)d)",
                    code=row["code"],
                    row=first_seen[row["code"]],
                ),
            )
            continue
        first_seen[row["code"]] = number
        if (item := checker.row(number, row)) is not None:
            parsed.append(item)
    if checker.problems:
        raise ImportError_(checker.problems)
    return parsed


# -- writing -----------------------------------------------------------------------------------
def apply_rows(
    parsed: list[ParsedRow], *, on: date, actor=None, label: str = "import"
) -> ImportResult:
    """Write checked rows. A changed status becomes a validated update dated `on`, authored by
    the importing user (history is never overwritten)."""
    result = ImportResult()
    existing = {
        r.code: r
        for r in db.session.scalars(
            select(Recommendation).where(Recommendation.code.in_([p.code for p in parsed]))
        )
    }
    for item in parsed:
        rec = existing.get(item.code)
        before = row_for(rec) if rec is not None else None
        if rec is None:
            rec = Recommendation(
                code=item.code, source=item.source, text=item.text, published=False
            )
            db.session.add(rec)
        set_if_changed(
            rec,
            source=item.source,
            text=item.text,
            text_lo=item.text_lo,
            position=item.position,
            cluster=cluster_by_path(item.source, item.cluster) if item.cluster else None,
        )
        set_links(rec, states=item.states, sdg_targets=item.sdg_targets)
        sync_assignments(rec, item.specs)
        if item.status is not None and item.status is not rec.status:
            add_update(
                rec,
                status=item.status,
                reported_on=on,
                author=actor,
                author_label=None if actor else label,
                narrative=_("Status set by %(label)s.", label=label),
                validated_by=actor,
                validated_at=utcnow(),
            )
        db.session.flush()
        after = row_for(rec)
        bucket = (
            result.created
            if before is None
            else result.unchanged
            if before == after
            else result.updated
        )
        bucket.append(item.code)
    return result


def import_recommendations(
    filename: str, data: bytes, *, on: date, actor=None, label: str = "import"
) -> ImportResult:
    """Check every row, then write them all. Raises ImportError_ and writes nothing on any
    problem; the caller commits (or rolls back for a dry run)."""
    parsed = check_rows(read_table(filename, data))
    return apply_rows(parsed, on=on, actor=actor, label=label)
