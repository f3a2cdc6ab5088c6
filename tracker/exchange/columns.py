"""The exchange format: these columns, in this order. Other tools depend on it: do not rename."""

from __future__ import annotations

from tracker.models import Recommendation

COLUMNS = (
    "code",
    "source_kind",
    "source",
    "cluster",
    "text",
    "text_lo",
    "position",
    "recommending_states",
    "lead_body",
    "supporting_bodies",
    "deadline",
    "deadline_precision",
    "deadline_text",
    "status",
    "sdg_targets",
)
MULTI_SEPARATOR = "; "
PATH_SEPARATOR = " > "


def split_multi(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def row_for(rec: Recommendation) -> dict[str, str]:
    lead = rec.lead
    return {
        "code": rec.code,
        "source_kind": rec.source.kind.name,
        "source": rec.source.code,
        "cluster": rec.cluster.path_text if rec.cluster else "",
        "text": rec.text,
        "text_lo": rec.text_lo or "",
        "position": rec.position.value,
        "recommending_states": MULTI_SEPARATOR.join(c.name for c in rec.states),
        "lead_body": lead.body.code if lead else "",
        "supporting_bodies": MULTI_SEPARATOR.join(a.body.code for a in rec.supporting),
        "deadline": lead.deadline.isoformat() if lead and lead.deadline else "",
        "deadline_precision": lead.deadline_precision.value if lead else "",
        "deadline_text": (lead.deadline_text or "") if lead else "",
        "status": rec.status.value,
        "sdg_targets": MULTI_SEPARATOR.join(t.code for t in rec.sdg_targets),
    }
