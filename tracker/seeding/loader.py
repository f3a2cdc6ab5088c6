"""Load seeds/ into the database, idempotently. Entries are matched by code; an entry whose
content has not changed since it was last applied is left alone (so a second run changes
nothing, and edits made in the app to items whose seed entry is unchanged survive re-seeding);
updates reported in the documents are history and are added once, never rewritten."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    AffectedGroup,
    AssignmentRole,
    Body,
    BodyKind,
    Holiday,
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Position,
    Recommendation,
    ReviewState,
    SdgGoal,
    SdgTarget,
    SeedRecord,
    Source,
    SourceKind,
    Status,
)
from tracker.register.services import (
    AssignmentSpec,
    cluster_by_path,
    set_if_changed,
    set_links,
    sync_assignments,
)
from tracker.seeding.reading import LINE, Checker, SeedError, entries, read_yaml
from tracker.updates.services import add_update

SEED_LABEL = "seed"


def _digest(entry) -> str:
    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k != LINE}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    blob = json.dumps(clean(entry), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


class SeedLoader:
    def __init__(self, seed_dir: Path):
        self.dir = Path(seed_dir)
        self.problems: list[str] = []
        self.counts: Counter[str] = Counter()
        self._records = {r.key: r for r in db.session.scalars(select(SeedRecord))}

    # -- bookkeeping ---------------------------------------------------------------------
    def _changed(self, key: str, entry) -> bool:
        """True when the entry is new or edited since last applied (and records it)."""
        digest = _digest(entry)
        record = self._records.get(key)
        if record is not None and record.digest == digest:
            self.counts[f"{key.split(':')[0]} unchanged"] += 1
            return False
        self.counts[f"{key.split(':')[0]} {'created' if record is None else 'updated'}"] += 1
        if record is None:
            record = SeedRecord(key=key, digest=digest)
            db.session.add(record)
            self._records[key] = record
        record.digest = digest
        return True

    # -- reference data -------------------------------------------------------------------
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

    @staticmethod
    def _one(model, code):
        if code is None:
            return None
        return db.session.scalars(select(model).where(model.code == code)).first()

    # -- sources ---------------------------------------------------------------------------
    SOURCE_FIELDS = {
        "code",
        "kind",
        "title",
        "title_lo",
        "reference",
        "date",
        "issuing_body",
        "cycle",
        "session",
        "year",
        "seed_file",
    }
    REC_FIELDS = {
        "code",
        "cluster",
        "text",
        "text_lo",
        "position",
        "recommending_states",
        "location",
        "sdg_targets",
        "affected_groups",
        "nsedp_outcome",
        "published",
        "indicator",
        "means_of_verification",
        "time_frame",
        "required_resources",
        "responsible_party",
        "missing_capacities",
        "assignments",
        "updates",
    }

    def load_source(self, path: Path, seen_codes: dict[str, str]) -> None:
        document = read_yaml(path, self.problems)
        if document is None:
            return
        if not isinstance(document, dict) or not isinstance(document.get("source"), dict):
            self.problems.append(f"{path}: a source file needs a 'source:' mapping")
            return
        c = Checker(path, document["source"], self.problems, "source", self.SOURCE_FIELDS)
        c.unknown_fields()
        code = c.text("code", True)
        values = {
            "kind": c.choice("kind", SourceKind),
            "title": c.text("title", True),
            "title_lo": c.text("title_lo"),
            "reference": c.text("reference"),
            "document_date": c.date("date"),
            "issuing_body": c.text("issuing_body"),
            "cycle": c.integer("cycle"),
            "session": c.text("session"),
            "year": c.integer("year"),
            "seed_file": c.text("seed_file"),
        }
        if not code or not values["title"] or not values["kind"]:
            return
        source = self._one(Source, code)
        if self._changed(f"source:{code}", document["source"]) or source is None:
            source = source or Source(code=code, kind=values["kind"], title=values["title"])
            db.session.add(source)
            set_if_changed(source, **values)
        db.session.flush()
        clusters = self._clusters(path, source, document.get("clusters") or [], [])
        for entry in entries(document, "recommendations", path, self.problems):
            self._recommendation(path, entry, source, clusters, seen_codes)
        db.session.flush()
        for entry in entries(document, "indicators", path, self.problems):
            self._indicator(path, entry, source)

    def _clusters(self, path: Path, source, items, trail: list[str]) -> dict[str, list[str]]:
        """Cluster key -> path of titles; creates the clusters in document order."""
        found: dict[str, list[str]] = {}
        for entry in entries(items, "", path, self.problems):
            c = Checker(
                path,
                entry,
                self.problems,
                f"cluster {entry.get('key')}",
                {"key", "title", "title_lo", "children"},
            )
            c.unknown_fields()
            key, title = c.text("key", True), c.text("title", True)
            if not key or not title:
                continue
            if key in found:
                c.problem("key", f"cluster key {key!r} is used twice in this file")
            titles = [*trail, title]
            found[key] = titles
            key_path = f"cluster:{source.code}:{' > '.join(titles)}"
            if self._changed(key_path, {"title_lo": entry.get("title_lo")}):
                set_if_changed(cluster_by_path(source, titles), title_lo=c.text("title_lo"))
            found.update(self._clusters(path, source, entry.get("children") or [], titles))
        return found

    def _recommendation(self, path, entry, source, clusters, seen_codes) -> None:
        c = Checker(path, entry, self.problems, str(entry.get("code")), self.REC_FIELDS)
        c.unknown_fields()
        code, text = c.text("code", True), c.text("text", True)
        if code in seen_codes:
            c.problem("code", f"duplicate code, already used at {seen_codes[code]}")
            return
        if code:
            seen_codes[code] = f"{path}, line {entry.get(LINE)}"
        cluster_key = c.text("cluster")
        if cluster_key and cluster_key not in clusters:
            c.problem("cluster", f"unknown cluster key {cluster_key!r}")
        location = c.mapping("location")
        specs = self._assignment_specs(path, entry)
        updates = self._update_specs(path, entry)
        position = c.choice("position", Position, Position.NOT_APPLICABLE)
        states = c.string_list("recommending_states")
        sdg_targets, groups = c.string_list("sdg_targets"), c.string_list("affected_groups")
        for name, model, codes in (
            ("sdg_targets", SdgTarget, sdg_targets),
            ("affected_groups", AffectedGroup, groups),
        ):
            missing = [x for x in codes if self._one(model, x) is None]
            if missing:
                c.problem(name, f"unknown code(s): {', '.join(missing)}")
        known = {b.code for b in db.session.scalars(select(Body))}
        for spec in specs:
            if spec.body_code not in known:
                c.problem("assignments", f"unknown body code {spec.body_code!r}")
        if self.problems or not code or not text:
            return
        rec = self._one(Recommendation, code)
        digest_entry = {**entry, "cluster": clusters.get(cluster_key), "source": source.code}
        digest_entry.pop("updates", None)
        if self._changed(f"recommendation:{code}", digest_entry) or rec is None:
            rec = rec or Recommendation(code=code, source=source, text=text)
            db.session.add(rec)
            set_if_changed(
                rec,
                source=source,
                text=text,
                text_lo=c.text("text_lo"),
                position=position,
                cluster=cluster_by_path(source, clusters[cluster_key]) if cluster_key else None,
                location_section=location.get("section"),
                location_paragraph=(
                    str(location["paragraph"]) if location.get("paragraph") else None
                ),
                location_row=location.get("row"),
                location_line=location.get("line"),
                nsedp_outcome=c.text("nsedp_outcome"),
                published=bool(entry.get("published", True)),
                indicator_text=c.text("indicator"),
                means_of_verification=c.text("means_of_verification"),
                time_frame=c.text("time_frame"),
                required_resources=c.text("required_resources"),
                responsible_party=c.text("responsible_party"),
                missing_capacities=c.text("missing_capacities"),
            )
            set_links(rec, states=states, sdg_targets=sdg_targets, groups=groups)
            sync_assignments(rec, specs)
        for i, (reported_on, status, percent, narrative, note) in enumerate(updates, 1):
            key = f"update:{code}:{i}"
            if key in self._records:
                continue  # history: added once, never rewritten by a later seed run
            self._changed(key, {"narrative": narrative})
            db.session.flush()
            add_update(
                rec,
                status=status,
                reported_on=reported_on,
                narrative=narrative,
                percent=percent,
                author_label=f"{source.code} ({source.seed_file})",
                source_note=note,
                validated_at=datetime.combine(reported_on, time(12), tzinfo=UTC),
            )

    def _assignment_specs(self, path, entry) -> list[AssignmentSpec]:
        specs = []
        for item in entries(entry, "assignments", path, self.problems):
            a = Checker(
                path,
                item,
                self.problems,
                f"{entry.get('code')} assignment",
                {"body", "role", "deadline"},
            )
            a.unknown_fields()
            body, role = a.text("body", True), a.choice("role", AssignmentRole)
            if body and role:
                specs.append(AssignmentSpec(body, role, a.text("deadline")))
        leads = [s for s in specs if s.role is AssignmentRole.LEAD]
        if len(leads) > 1:
            Checker(path, entry, self.problems, entry.get("code")).problem(
                "assignments", "more than one lead body"
            )
        return specs

    def _update_specs(self, path, entry) -> list[tuple]:
        found = []
        for item in entries(entry, "updates", path, self.problems):
            u = Checker(
                path,
                item,
                self.problems,
                f"{entry.get('code')} update",
                {"date", "status", "percent", "narrative", "location"},
            )
            u.unknown_fields()
            reported_on, status = u.date("date"), u.choice("status", Status)
            narrative = u.text("narrative", True)
            location = u.mapping("location")
            note = ", ".join(
                str(x)
                for x in (
                    location.get("section"),
                    location.get("paragraph"),
                    f"line {location['line']}" if location.get("line") else None,
                )
                if x
            )
            if reported_on and status and narrative:
                found.append((reported_on, status, u.integer("percent"), narrative, note or None))
        return found

    def _indicator(self, path, entry, source) -> None:
        c = Checker(
            path,
            entry,
            self.problems,
            str(entry.get("code")),
            {
                "code",
                "recommendation",
                "name",
                "name_lo",
                "unit",
                "direction",
                "framework",
                "baseline",
                "target",
                "actuals",
                "location",
            },
        )
        c.unknown_fields()
        code, name = c.text("code", True), c.text("name", True)
        rec_code = c.text("recommendation")
        rec = self._one(Recommendation, rec_code)
        if rec_code and rec is None:
            c.problem("recommendation", f"unknown item code {rec_code!r}")
        baseline, target = c.mapping("baseline"), c.mapping("target")
        location = c.mapping("location")
        actuals = []
        for item in entries(entry, "actuals", path, self.problems):
            a = Checker(path, item, self.problems, f"{code} actual", {"period", "value", "source"})
            a.unknown_fields()
            period, value = a.text("period", True), a.number("value")
            if period and value is not None:
                actuals.append((period, value, a.text("source")))
        for part, name_ in ((baseline, "baseline"), (target, "target")):
            for key in ("value", "year"):
                if part.get(key) is not None and not isinstance(part[key], int | float):
                    c.problem(f"{name_}.{key}", f"must be a number, not {part[key]!r}")
        if self.problems or not code or not name:
            return
        indicator = self._one(Indicator, code)

        def dec(v):
            return None if v is None else Decimal(str(v))

        if (
            self._changed(f"indicator:{code}", {k: v for k, v in entry.items() if k != "actuals"})
            or indicator is None
        ):
            indicator = indicator or Indicator(code=code, source=source, name=name)
            db.session.add(indicator)
            set_if_changed(
                indicator,
                source=source,
                recommendation=rec,
                name=name,
                name_lo=c.text("name_lo"),
                unit=c.text("unit"),
                direction=c.choice("direction", IndicatorDirection, IndicatorDirection.INCREASE),
                framework=c.text("framework"),
                baseline_value=dec(baseline.get("value")),
                baseline_year=baseline.get("year"),
                target_value=dec(target.get("value")),
                target_year=target.get("year"),
                target_text=target.get("text"),
                location_section=location.get("section"),
                location_line=location.get("line"),
            )
        for period, value, note in actuals:
            key = f"indicator_value:{code}:{period}"
            if key in self._records:
                continue
            self._changed(key, {"value": value})
            db.session.add(
                IndicatorValue(
                    indicator=indicator,
                    period=period,
                    value=dec(value),
                    source_note=note,
                    review_state=ReviewState.VALIDATED,
                )
            )

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

    # -- all of it -------------------------------------------------------------------------
    def load_all(self) -> Counter[str]:
        self.load_groups()
        self.load_sdgs()
        self.load_bodies()
        self.load_holidays()
        db.session.flush()
        seen: dict[str, str] = {}
        for path in sorted((self.dir / "sources").glob("*.yaml")):
            self.load_source(path, seen)
        if self.problems:
            raise SeedError(self.problems)
        db.session.flush()
        return self.counts


def load_seeds(seed_dir: Path) -> Counter[str]:
    """Load everything in seed_dir; raise SeedError (nothing flushed is kept by the caller's
    rollback) when any entry is wrong."""
    return SeedLoader(seed_dir).load_all()
