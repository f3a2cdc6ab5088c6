"""Loading one source document's file of seeds/sources/: the source, its cluster tree, its
items with their assignments and reported updates, its indicators."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    AffectedGroup,
    AssignmentRole,
    Body,
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Position,
    Recommendation,
    ReviewState,
    SdgTarget,
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
from tracker.seeding.reading import LINE, Checker, entries, read_yaml
from tracker.seeding.records import SeedBase
from tracker.updates.services import add_update


class SourceLoader(SeedBase):
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
