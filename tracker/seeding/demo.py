"""Demo accounts and a few status updates, for trying the tracker on the seed data. Passwords are
random, generated once, and kept in instance/demo-logins.txt (readable by the owner only)."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Assignment, AssignmentRole, Body, Recommendation, Role, Status, User
from tracker.updates.services import add_update
from tracker.users.services import create_user

LOGINS_FILE = "demo-logins.txt"


def _demo_users() -> list[tuple[str, str, Role, str | None]]:
    lead_bodies = db.session.scalars(
        select(Body)
        .join(Assignment)
        .where(Assignment.role == AssignmentRole.LEAD)
        .distinct()
        .order_by(Body.code)
    ).all()
    users = [
        ("admin@tracker.example", "Demo administrator", Role.ADMIN, None),
        ("secretariat@tracker.example", "Demo NSC secretariat", Role.SECRETARIAT, None),
        ("viewer@tracker.example", "Demo viewer (NSC member)", Role.VIEWER, None),
    ]
    users += [
        (
            f"focal.{b.code.lower()}@tracker.example",
            f"Focal point, {b.label}",
            Role.FOCAL_POINT,
            b.code,
        )
        for b in lead_bodies
    ]
    return users


def add_demo(instance_path: Path) -> str:
    """Create the demo accounts that do not exist yet; return the text listing every login."""
    path = instance_path / LOGINS_FILE
    known = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "  " in line and "@" in line:
                email, password = line.split()[:2]
                known[email] = password
    lines = []
    for email, name, role, body in _demo_users():
        user = db.session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            password = f"{secrets.token_urlsafe(9)}-{secrets.randbelow(90) + 10}"
            user = create_user(email=email, name=name, role=role, body_code=body, password=password)
            known[email] = password
        if body:
            for assignment in db.session.scalars(
                select(Assignment).join(Body).where(Body.code == body)
            ):
                if user not in assignment.focal_points:
                    assignment.focal_points.append(user)
        lines.append(
            f"{email}  {known.get(email, '(password set earlier, not known)')}  "
            f"{role.value}{' ' + body if body else ''}"
        )
    _demo_updates()
    text = "Demo logins (email  password  role):\n" + "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)
    return text


def _demo_updates() -> None:
    """A submitted update from a focal point on a few workshop items, once."""
    secretariat = db.session.scalars(
        select(User).where(User.email == "secretariat@tracker.example")
    ).one()
    recs = db.session.scalars(
        select(Recommendation)
        .join(Assignment)
        .where(Assignment.role == AssignmentRole.LEAD, Recommendation.code.like("GEN23-%"))
        .order_by(Recommendation.code)
        .limit(3)
    ).all()
    for i, rec in enumerate(recs):
        if rec.updates:
            continue
        lead = rec.lead
        focal = lead.focal_points[0] if lead.focal_points else None
        add_update(
            rec,
            status=(Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED, Status.IN_PROGRESS)[i],
            percent=(25, 50, 10)[i],
            reported_on=date(2024, 3, 15),
            assignment=lead,
            narrative="Demo update: first steps taken; see the attached minutes.",
            author=focal,
            validated_by=secretariat if i < 2 else None,
        )
