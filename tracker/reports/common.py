"""What the three reports share: loading a source's register with everything a row shows, the
cluster tree in document order, and the cells every report phrases the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import (
    Assignment,
    Cluster,
    Evidence,
    Indicator,
    IndicatorValue,
    Recommendation,
    Source,
    Status,
)
from tracker.reports.asof import RecState, indicator_values, snapshot
from tracker.reports.data import Column, Group, Row, Section

EvidenceFilter = Callable[[Evidence], bool]


@dataclass
class Register:
    """A source's recommendations as they stood on the day."""

    source: Source
    as_of: date
    recommendations: list[Recommendation]
    states: dict[int, RecState]
    clusters: list[tuple[Cluster, int]]  # tree order, with depth
    values: dict[int, list[IndicatorValue]]
    indicators: list[Indicator]

    def by_cluster(self) -> dict[int | None, list[Recommendation]]:
        found: dict[int | None, list[Recommendation]] = {}
        for rec in self.recommendations:
            found.setdefault(rec.cluster_id, []).append(rec)
        return found


def load_register(source: Source, as_of: date, timezone: str) -> Register:
    recs = list(
        db.session.scalars(
            select(Recommendation)
            .where(Recommendation.source_id == source.id, Recommendation.archived.is_(False))
            .options(
                selectinload(Recommendation.assignments).selectinload(Assignment.body),
                selectinload(Recommendation.states),
                selectinload(Recommendation.indicators),
            )
            .order_by(Recommendation.location_line, Recommendation.code)
        )
    )
    indicators = list(
        db.session.scalars(
            select(Indicator).where(Indicator.source_id == source.id).order_by(Indicator.id)
        )
    )
    for rec in recs:
        indicators += [i for i in rec.indicators if i.source_id != source.id]
    return Register(
        source=source,
        as_of=as_of,
        recommendations=recs,
        states=snapshot(recs, as_of, timezone),
        clusters=cluster_tree(source),
        values=indicator_values(indicators, as_of, timezone),
        indicators=indicators,
    )


def cluster_tree(source: Source) -> list[tuple[Cluster, int]]:
    clusters = list(db.session.scalars(select(Cluster).where(Cluster.source_id == source.id)))
    children: dict[int | None, list[Cluster]] = {}
    for cluster in clusters:
        children.setdefault(cluster.parent_id, []).append(cluster)
    ordered: list[tuple[Cluster, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for cluster in sorted(children.get(parent_id, []), key=lambda c: (c.sort_order, c.id)):
            ordered.append((cluster, depth))
            walk(cluster.id, depth + 1)

    walk(None, 0)
    return ordered


def text_cells(rec: Recommendation) -> list[str]:
    return [rec.text] + ([rec.text_lo] if rec.text_lo else [])


def reference(rec: Recommendation) -> list[str]:
    where = ", ".join(
        x
        for x in (
            rec.location_paragraph,
            _("row %(n)s", n=rec.location_row) if rec.location_row else None,
            _("line %(n)s", n=rec.location_line) if rec.location_line else None,
        )
        if x
    )
    return [rec.code] + ([where] if where else [])


def bodies(rec: Recommendation) -> list[str]:
    lines = []
    if rec.lead:
        lines.append(_("Lead: %(body)s", body=rec.lead.body.label))
    if rec.supporting:
        names = ", ".join(a.body.label for a in rec.supporting)
        lines.append(_("Supporting: %(bodies)s", bodies=names))
    if rec.responsible_party and not lines:
        lines.append(rec.responsible_party)
    return lines


def status_cell(state: RecState) -> list[str]:
    label = str(state.status.label)
    if state.percent is not None:
        label += f" ({state.percent}%)"
    return [label]


def actions(state: RecState) -> list[str]:
    """The narratives of the counted updates, oldest first, each with its date."""
    return [f"{u.reported_on.isoformat()}: {u.narrative}" for u in state.counted if u.narrative]


def evidence(state: RecState, may_see: EvidenceFilter) -> list[str]:
    """The files and links of the counted updates, by name only, as far as the reader may see."""
    names = []
    for update in state.counted:
        for item in update.evidence:
            if may_see(item):
                names.append(item.filename or item.url or "")
    return [n for n in names if n]


def number(value) -> str:
    if value is None:
        return ""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text


def indicator_lines(register: Register, indicators: list[Indicator]) -> list[str]:
    lines = []
    for ind in indicators:
        line = ind.name
        if ind.target_value is not None or ind.target_text:
            target = number(ind.target_value) if ind.target_value is not None else ind.target_text
            with_unit = " ".join(str(part) for part in (target, ind.unit) if part)
            line += " · " + _("target %(value)s", value=with_unit)
        if counted := register.values.get(ind.id):
            last = counted[-1]
            achieved = f"{number(last.value)} {ind.unit or ''}".strip()
            line += " · " + _("achieved %(value)s (%(period)s)", value=achieved, period=last.period)
        lines.append(line)
    return lines


def summary_section(
    register: Register, heading: str, group_label: str | None = None, total: str | None = None
) -> Section:
    """Counts of status by cluster (each cluster counting its sub-clusters), with totals."""
    statuses = list(Status)
    columns = [Column("cluster", group_label or _("Cluster"), wide=True)]
    columns += [Column(s.value, str(s.label)) for s in statuses]
    columns.append(Column("total", _("Total")))
    by_cluster = register.by_cluster()
    parents = {c.id: c.parent_id for c, _depth in register.clusters}

    def counts_of(recs) -> dict[Status, int]:
        counts = dict.fromkeys(statuses, 0)
        for rec in recs:
            counts[register.states[rec.id].status] += 1
        return counts

    subtree: dict[int, list[Recommendation]] = {c.id: [] for c, _depth in register.clusters}
    for cluster_id, recs in by_cluster.items():
        node = cluster_id
        while node is not None:
            subtree[node].extend(recs)
            node = parents.get(node)

    def row(title: str, recs, level: int = 0, total: bool = False) -> Row:
        counts = counts_of(recs)
        cells = {"cluster": [title]} | {s.value: [str(counts[s])] for s in statuses}
        return Row(cells | {"total": [str(len(recs))]}, level=level, total=total)

    rows = [row(c.title, subtree[c.id], depth) for c, depth in register.clusters if subtree[c.id]]
    if None in by_cluster:
        rows.append(row(_("No cluster"), by_cluster[None]))
    rows.append(row(total or _("All recommendations"), register.recommendations, total=True))
    return Section(heading, None, columns, [Group(None, None, rows)], summary=True)


def pending_section(register: Register) -> Section:
    """Updates entered but not yet validated on the day: shown apart, never counted."""
    columns = [
        Column("code", _("Recommendation")),
        Column("reported_on", _("Date of the action")),
        Column("status", _("Status reported")),
        Column("narrative", _("What was reported"), wide=True),
        Column("by", _("Reported by")),
    ]
    rows = []
    for rec in register.recommendations:
        for u in register.states[rec.id].pending:
            status = str(u.status.label) + (f" ({u.percent}%)" if u.percent is not None else "")
            by = u.assignment.body.label if u.assignment else (u.author_label or "")
            rows.append(
                Row(
                    {
                        "code": [rec.code],
                        "reported_on": [u.reported_on.isoformat()],
                        "status": [status],
                        "narrative": [u.narrative],
                        "by": [by],
                    },
                    status=u.status,
                )
            )
    return Section(
        _("Updates awaiting validation"),
        None,
        columns,
        [Group(None, None, rows)],
        note=_("Reported but not yet validated on the day of this report: not counted above."),
    )
