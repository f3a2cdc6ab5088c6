"""Small builders so that tests say only what matters to them."""

from __future__ import annotations

from itertools import count

from tracker.extensions import db
from tracker.models import (  # noqa: F401  (re-exported for tests)
    AssignmentRole,
    Body,
    BodyKind,
    Recommendation,
    SdgGoal,
    SdgTarget,
    Source,
    SourceKind,
)
from tracker.register.services import AssignmentSpec, sync_assignments

_seq = count(1)


def source(code: str = "UPR-3", kind: SourceKind = SourceKind.UPR, **kw) -> Source:
    row = Source(code=code, kind=kind, title=kw.pop("title", f"Source {code}"), **kw)
    db.session.add(row)
    db.session.flush()
    return row


def body(code: str, name: str | None = None, kind: BodyKind = BodyKind.MINISTRY, **kw) -> Body:
    row = Body(code=code, name=name or f"Body {code}", kind=kind, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def sdg_target(code: str = "16.3", title: str = "Promote the rule of law") -> SdgTarget:
    number = int(code.split(".")[0])
    goal = db.session.query(SdgGoal).filter_by(number=number).first() or SdgGoal(
        number=number, title=f"Goal {number}"
    )
    row = SdgTarget(code=code, goal=goal, title=title)
    db.session.add(row)
    db.session.flush()
    return row


def recommendation(
    src: Source,
    code: str | None = None,
    *,
    lead: str | None = None,
    deadline: str | None = None,
    supporting: tuple[str, ...] = (),
    **kw,
) -> Recommendation:
    rec = Recommendation(
        code=code or f"REC-{next(_seq):04d}",
        source=src,
        text=kw.pop("text", "Do the right thing."),
        **kw,
    )
    db.session.add(rec)
    specs = []
    if lead:
        specs.append(AssignmentSpec(lead, AssignmentRole.LEAD, deadline))
    specs += [AssignmentSpec(b, AssignmentRole.SUPPORTING, deadline) for b in supporting]
    if specs:
        sync_assignments(rec, specs)
    db.session.flush()
    return rec
