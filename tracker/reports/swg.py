"""The SWG yearly report, in the order of the RTIM Sector Working Group reporting template (as
in the Governance and UXO SWG reports): results against the last RTIM's recommendations with the
actions taken, targets against achievements, then the priorities for the next year and for the
next NSEDP. Headings carry the template's own Lao wording (UXO SWG report, 2023)."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.models import IndicatorDirection
from tracker.reports import common
from tracker.reports.common import EvidenceFilter, Register
from tracker.reports.data import Column, Group, Row, Section

# The Lao headings of the RTIM SWG reporting template, as printed in the UXO SWG 2023 report
# (seed document 002, lines 35, 45, 67 and 79), without the page-length hints.
LAO_RESULTS = "ຜົນໄດ້ຮັບ ແລະ ຜົນສໍາເລັດຂອງໜ່ວຍງານຂະແໜງການຂອງທ່ານ ທຽບໃສ່ຄໍາແນະນໍາຂອງບົດລາຍງານກອງປະຊຸມໂຕະມົນ"
LAO_TARGETS = "ເປົ້າໝາຍ ແລະ ຜົນສໍາເລັດ"
LAO_PRIORITIES_YEAR = "ວຽກງານບຸລິມະສິດຂອງໜ່ວຍງານຂະແໜງການຂອງທ່ານ ສໍາລັບປີ {year}"
LAO_PRIORITIES_NSEDP = (
    "ວຽກງານບຸລິມະສິດຂອງໜ່ວຍງານຂະແໜງການຂອງທ່ານ"
    " ຄາດວ່າຈະປະກອບສ່ວນເຂົ້າໃນການສ້າງແຜນພັດທະນາເສດຖະກິດ-ສັງຄົມແຫ່ງຊາດ ຄັ້ງທີ X"
)
LAO_OBJECTIVES = "ຈຸດປະສົງ ແລະ ເປົ້າໝາຍຂອງໜ່ວຍງານຂະແໜງການຂອງທ່ານ ໃນປີ {year}"


def objectives_heading(year: int) -> tuple[str, str]:
    """Section 1 of the template: the report's editable introduction goes under it."""
    return (
        _("1. Main objectives and targets of the Sector Working Group in %(year)s", year=year),
        "1. " + LAO_OBJECTIVES.format(year=year),
    )


def _part(cluster_title: str) -> str:
    """Which part of the template a top-level cluster of an RTIM source belongs to."""
    title = cluster_title.lower()
    if title.startswith("rtim"):
        return "results"
    if title.startswith("priorities") and "nsedp" in title:
        return "nsedp"
    if title.startswith("priorities"):
        return "year"
    return "other"


def swg_sections(register: Register, may_see: EvidenceFilter) -> list[Section]:
    year = register.source.year or register.as_of.year
    by_cluster = register.by_cluster()
    parts: dict[str, list[Group]] = {"results": [], "year": [], "nsedp": [], "other": []}
    top = None

    def row(rec) -> Row:
        state = register.states[rec.id]
        return Row(
            {
                "recommendation": common.text_cells(rec),
                "bodies": common.bodies(rec),
                "status": common.status_cell(state),
                "actions": common.actions(state),
                "evidence": common.evidence(state, may_see),
            },
            status=state.status,
        )

    for cluster, depth in register.clusters:
        if depth == 0:
            top = cluster
        if recs := by_cluster.get(cluster.id):
            title = cluster.title if depth else None
            parts[_part(top.title)].append(Group(title, cluster.title_lo, [row(r) for r in recs]))
    if recs := by_cluster.get(None):
        parts["other"].append(Group(None, None, [row(r) for r in recs]))

    def columns(first: str) -> list[Column]:
        return [
            Column("recommendation", first, wide=True),
            Column("bodies", _("Responsible bodies")),
            Column("status", _("Status")),
            Column("actions", _("Actions taken"), wide=True),
            Column("evidence", _("Evidence")),
        ]

    sections = [
        Section(
            _(
                "2. Key results against the recommendations of the RTIM %(year)s, and the actions"
                " taken",
                year=year,
            ),
            "2. " + LAO_RESULTS,
            columns(_("RTIM recommendation")),
            parts["results"],
        ),
        targets_section(register),
        Section(
            _("3.a Key priorities for %(year)s", year=year + 1),
            "3.a " + LAO_PRIORITIES_YEAR.format(year=year + 1),
            columns(_("Priority")),
            parts["year"],
        ),
        Section(
            _("3.b Key priorities for the 10th NSEDP"),
            "3.b " + LAO_PRIORITIES_NSEDP,
            columns(_("Priority")),
            parts["nsedp"],
        ),
    ]
    if parts["other"]:
        sections.append(Section(_("Other items"), None, columns(_("Item")), parts["other"]))
    return sections


def targets_section(register: Register) -> Section:
    """Each indicator's target against its validated achievements on the day."""
    columns = [
        Column("indicator", _("Indicator"), wide=True),
        Column("framework", _("Framework")),
        Column("baseline", _("Baseline")),
        Column("target", _("Target")),
        Column("achieved", _("Achieved")),
        Column("progress", _("Achieved / target")),
    ]
    rows = []
    for ind in register.indicators:
        unit = f" {ind.unit}" if ind.unit else ""
        counted = register.values.get(ind.id, [])
        target = []
        if ind.target_value is not None:
            year = f" ({ind.target_year})" if ind.target_year else ""
            target.append(f"{common.number(ind.target_value)}{unit}{year}")
        elif ind.target_text:
            target.append(ind.target_text)
        progress = []
        if counted and ind.target_value:
            progress.append(f"{counted[-1].value / ind.target_value:.0%}")
            if ind.direction is IndicatorDirection.DECREASE:
                progress.append(str(ind.direction.label))  # above 100% is then worse
        baseline = []
        if ind.baseline_value is not None:
            year = f" ({ind.baseline_year})" if ind.baseline_year else ""
            baseline.append(f"{common.number(ind.baseline_value)}{unit}{year}")
        name = [ind.name] + ([ind.name_lo] if ind.name_lo else [])
        rows.append(
            Row(
                {
                    "indicator": name,
                    "framework": [ind.framework] if ind.framework else [],
                    "baseline": baseline,
                    "target": target,
                    "achieved": [f"{common.number(v.value)}{unit} ({v.period})" for v in counted],
                    "progress": progress,
                }
            )
        )
    return Section(
        _("Targets and achievements"),
        LAO_TARGETS,
        columns,
        [Group(None, None, rows)],
        note=_("Only validated values count; a value counts from its validation."),
    )
