"""The three reports as plain data: the UPR voluntary mid-term report, the SWG yearly report
and the action-plan progress of a workshop. Each takes the source, the day and who reads it,
and returns a `Report` that every format renders."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import gettext as _

from tracker.models import Source, SourceKind
from tracker.reports import common
from tracker.reports.common import EvidenceFilter, Register
from tracker.reports.data import Column, Cover, Group, Report, Row, Section
from tracker.reports.swg import objectives_heading, swg_sections

SOURCE_KIND = {
    "midterm": SourceKind.UPR,
    "swg": SourceKind.RTIM,
    "actionplan": SourceKind.WORKSHOP,
}


class WrongSource(ValueError):
    """The source is not of the kind the report is for."""


def check_kind(kind: str, source: Source) -> None:
    expected = SOURCE_KIND.get(kind)
    if expected is None:
        raise WrongSource(_("Unknown report “%(kind)s”.", kind=kind))
    if source.kind is not expected:
        raise WrongSource(
            _(
                "Source %(code)s is a %(actual)s source: the %(kind)s report needs a %(expected)s"
                " source.",
                code=source.code,
                actual=source.kind.label,
                kind=kind,
                expected=expected.label,
            )
        )


def build_report(
    kind: str,
    source: Source,
    *,
    as_of: date,
    generated_at: datetime,
    cover: Cover,
    timezone: str,
    may_see: EvidenceFilter,
    include_pending: bool = False,
) -> Report:
    check_kind(kind, source)
    register = common.load_register(source, as_of, timezone)
    sections = BUILDERS[kind](register, may_see)
    if include_pending:
        sections.append(common.pending_section(register))
    heading, heading_lo = _("Introduction"), None
    if kind == "swg":
        heading, heading_lo = objectives_heading(source.year or as_of.year)
    return Report(
        kind=kind,
        source_code=source.code,
        source_title=source.title,
        as_of=as_of,
        generated_at=generated_at,
        include_pending=include_pending,
        cover=cover,
        sections=sections,
        introduction_heading=heading,
        introduction_heading_lo=heading_lo,
        language=str(get_locale() or "en"),
    )


def _cluster_groups(register: Register, make_row) -> list[Group]:
    """The recommendations under their cluster (full path), in the order of the tree."""
    by_cluster = register.by_cluster()
    groups = []
    for cluster, _depth in register.clusters:
        if recs := by_cluster.get(cluster.id):
            title_lo = cluster.title_lo
            groups.append(Group(cluster.path_text, title_lo, [make_row(r) for r in recs]))
    if recs := by_cluster.get(None):
        groups.append(Group(_("No cluster"), None, [make_row(r) for r in recs]))
    return groups


def midterm_sections(register: Register, may_see: EvidenceFilter) -> list[Section]:
    """Summary table (status × cluster), then the OHCHR-style matrix grouped by cluster."""
    columns = [
        Column("recommendation", _("Recommendation"), wide=True),
        Column("reference", _("Reference")),
        Column("states", _("Recommending State(s)")),
        Column("position", _("Position")),
        Column("bodies", _("Responsible bodies")),
        Column("status", _("Status")),
        Column("actions", _("Actions taken"), wide=True),
        Column("indicators", _("Indicators")),
        Column("evidence", _("Evidence")),
    ]

    def row(rec) -> Row:
        state = register.states[rec.id]
        return Row(
            {
                "recommendation": common.text_cells(rec),
                "reference": common.reference(rec),
                "states": [s.name for s in rec.states],
                "position": [str(rec.position.label)],
                "bodies": common.bodies(rec),
                "status": common.status_cell(state),
                "actions": common.actions(state),
                "indicators": common.indicator_lines(register, rec.indicators),
                "evidence": common.evidence(state, may_see),
            },
            status=state.status,
        )

    return [
        common.summary_section(register, _("1. Summary: status of implementation by cluster")),
        Section(
            _("2. Implementation of the recommendations, by cluster"),
            None,
            columns,
            _cluster_groups(register, row),
        ),
    ]


def actionplan_sections(register: Register, may_see: EvidenceFilter) -> list[Section]:
    """Per dimension (cluster), each activity with its indicator, time frame, responsible
    party, status, percent and last validated update."""
    columns = [
        Column("activity", _("Activity"), wide=True),
        Column("indicator", _("Indicator")),
        Column("time_frame", _("Time frame")),
        Column("responsible", _("Responsible party")),
        Column("status", _("Status")),
        Column("percent", _("Percent")),
        Column("last_update", _("Last update"), wide=True),
    ]

    def row(rec) -> Row:
        state = register.states[rec.id]
        latest = state.latest
        last = [f"{latest.reported_on.isoformat()}: {latest.narrative}"] if latest else []
        return Row(
            {
                "activity": common.text_cells(rec),
                "indicator": [rec.indicator_text] if rec.indicator_text else [],
                "time_frame": [rec.time_frame] if rec.time_frame else [],
                "responsible": [rec.responsible_party]
                if rec.responsible_party
                else common.bodies(rec),
                "status": [str(state.status.label)],
                "percent": [f"{state.percent}%"] if state.percent is not None else [],
                "last_update": last,
            },
            status=state.status,
        )

    return [
        common.summary_section(
            register,
            _("1. Summary: status of the activities by dimension"),
            group_label=_("Dimension"),
            total=_("All activities"),
        ),
        Section(_("2. Activities by dimension"), None, columns, _cluster_groups(register, row)),
    ]


BUILDERS = {
    "midterm": midterm_sections,
    "swg": swg_sections,
    "actionplan": actionplan_sections,
}
