"""Loading the reference data of seeds/: affected groups, SDGs, bodies, Lao holidays."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AffectedGroup, Body, BodyKind, Holiday, SdgGoal, SdgTarget
from tracker.register.services import set_if_changed
from tracker.seeding.reading import Checker, entries, read_yaml
from tracker.seeding.records import SeedBase


class ReferenceLoader(SeedBase):
    def load_groups(self) -> None:
        path = self.dir / "groups.yaml"
        for entry in entries(read_yaml(path, self.problems), "", path, self.problems):
            c = Checker(
                path, entry, self.problems, str(entry.get("code")), {"code", "name", "name_lo"}
            )
            c.unknown_fields()
            code, name = c.text("code", True), c.text("name", True)
            if code and name and self._changed(f"group:{code}", entry):
                group = self._one(AffectedGroup, code) or AffectedGroup(code=code, name=name)
                db.session.add(group)
                set_if_changed(group, name=name, name_lo=c.text("name_lo"))

    def load_sdgs(self) -> None:
        path = self.dir / "sdgs.yaml"
        for entry in entries(read_yaml(path, self.problems), "", path, self.problems):
            c = Checker(
                path,
                entry,
                self.problems,
                f"goal {entry.get('goal')}",
                {"goal", "title", "title_lo", "targets"},
            )
            c.unknown_fields()
            number, title = c.integer("goal"), c.text("title", True)
            if number is None or not title:
                c.problem("goal", "a goal number and title are required")
                continue
            if self._changed(
                f"sdg_goal:{number}", {k: v for k, v in entry.items() if k != "targets"}
            ):
                goal = db.session.scalars(select(SdgGoal).where(SdgGoal.number == number)).first()
                goal = goal or SdgGoal(number=number, title=title)
                db.session.add(goal)
                set_if_changed(goal, title=title, title_lo=c.text("title_lo"))
            for target in entries(entry, "targets", path, self.problems):
                t = Checker(
                    path,
                    target,
                    self.problems,
                    f"target {target.get('code')}",
                    {"code", "title", "title_lo"},
                )
                t.unknown_fields()
                code, ttitle = t.text("code", True), t.text("title", True)
                if code and not code.startswith(f"{number}."):
                    t.problem("code", f"target {code} does not belong to goal {number}")
                elif code and ttitle and self._changed(f"sdg_target:{code}", target):
                    db.session.flush()
                    goal = db.session.scalars(select(SdgGoal).where(SdgGoal.number == number)).one()
                    row = self._one(SdgTarget, code) or SdgTarget(
                        code=code, goal=goal, title=ttitle
                    )
                    db.session.add(row)
                    set_if_changed(row, goal=goal, title=ttitle, title_lo=t.text("title_lo"))

    def load_bodies(self) -> None:
        path = self.dir / "bodies.yaml"
        items = entries(read_yaml(path, self.problems), "", path, self.problems)
        codes = [str(e.get("code")) for e in items]
        for dup in sorted({c for c in codes if codes.count(c) > 1}):
            self.problems.append(f"{path}: body code {dup} appears more than once")
        parents = {}
        for entry in items:
            c = Checker(
                path,
                entry,
                self.problems,
                str(entry.get("code")),
                {"code", "acronym", "name", "name_lo", "kind", "parent"},
            )
            c.unknown_fields()
            code, name = c.text("code", True), c.text("name", True)
            kind = c.choice("kind", BodyKind, BodyKind.OTHER)
            parent = c.text("parent")
            if parent and parent not in codes:
                c.problem("parent", f"unknown body code {parent!r}")
            if code and name and self._changed(f"body:{code}", entry):
                body = self._one(Body, code) or Body(code=code, name=name, kind=kind)
                db.session.add(body)
                set_if_changed(
                    body, name=name, acronym=c.text("acronym"), name_lo=c.text("name_lo"), kind=kind
                )
                parents[code] = parent
        db.session.flush()
        for code, parent in parents.items():
            body = self._one(Body, code)
            set_if_changed(body, parent=self._one(Body, parent) if parent else None)

    def load_holidays(self) -> None:
        path = self.dir / "holidays.yaml"
        for entry in entries(read_yaml(path, self.problems), "", path, self.problems):
            c = Checker(
                path, entry, self.problems, str(entry.get("date")), {"date", "name", "name_lo"}
            )
            c.unknown_fields()
            day, name = c.date("date"), c.text("name", True)
            if day is None:
                c.problem("date", "is required")
            elif name and self._changed(f"holiday:{day.isoformat()}", entry):
                holiday = db.session.scalars(select(Holiday).where(Holiday.day == day)).first()
                holiday = holiday or Holiday(day=day, name=name)
                db.session.add(holiday)
                set_if_changed(holiday, name=name, name_lo=c.text("name_lo"))
