"""As of a day: a report counts only updates validated on or before that day (in Vientiane),
and producing it again later gives the same numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.reports.conftest import at
from tracker.extensions import db
from tracker.models import Evidence, Status
from tracker.reports import services
from tracker.reports.asof import snapshot
from tracker.updates.services import add_update

TZ = "Asia/Vientiane"


def summary_counts(report) -> dict[str, dict[str, str]]:
    """The summary table as {cluster: {column: value}}."""
    section = report.sections[0]
    rows = section.groups[0].rows
    return {row.text("cluster"): {k: row.text(k) for k in row.cells} for row in rows}


def midterm(src, as_of: date, **kw):
    return services.make_report(
        "midterm",
        src,
        as_of=as_of,
        now=datetime(2026, 1, 1, tzinfo=UTC),
        may_see=lambda e: True,
        **kw,
    )


def test_status_on_a_day_is_the_latest_update_validated_by_then(small_upr):
    health = small_upr.health
    states = lambda day: snapshot([health], day, TZ)[health.id]  # noqa: E731
    assert states(date(2024, 1, 14)).status is Status.NOT_STARTED  # reported, not yet validated
    assert states(date(2024, 1, 15)).status is Status.IN_PROGRESS
    assert states(date(2024, 1, 15)).percent == 40
    assert states(date(2024, 6, 19)).status is Status.IN_PROGRESS
    assert states(date(2024, 6, 20)).status is Status.IMPLEMENTED


def test_a_validation_late_in_the_evening_utc_counts_on_the_next_day_in_vientiane(
    small_upr, make_user
):
    rec = small_upr.justice
    add_update(
        rec,
        status=Status.PARTIALLY_IMPLEMENTED,
        reported_on=date(2024, 3, 30),
        narrative="Decree adopted.",
        validated_at=datetime(2024, 3, 31, 18, 30, tzinfo=UTC),  # 01:30 on 1 April in Vientiane
    )
    assert snapshot([rec], date(2024, 3, 31), TZ)[rec.id].status is Status.NOT_STARTED
    assert snapshot([rec], date(2024, 4, 1), TZ)[rec.id].status is Status.PARTIALLY_IMPLEMENTED


def test_snapshot_of_today_agrees_with_the_status_the_register_shows(small_upr):
    recs = [small_upr.health, small_upr.justice]
    states = snapshot(recs, date(2026, 1, 1), TZ)
    for rec in recs:
        db.session.refresh(rec)
        assert states[rec.id].status is rec.status
        assert states[rec.id].percent == rec.status_percent


def test_a_report_for_a_past_day_gives_the_same_numbers_after_later_validations(small_upr):
    before = summary_counts(midterm(small_upr.source, date(2024, 3, 31)))
    # An action of February, validated only in July: it did not count on 31 March.
    add_update(
        small_upr.justice,
        status=Status.IMPLEMENTED,
        reported_on=date(2024, 2, 15),
        narrative="Legal aid offices in every district.",
        validated_at=at("2024-07-01"),
    )
    db.session.commit()
    again = summary_counts(midterm(small_upr.source, date(2024, 3, 31)))
    assert again == before
    assert before["All recommendations"]["in_progress"] == "1"
    assert before["All recommendations"]["not_started"] == "1"
    later = summary_counts(midterm(small_upr.source, date(2024, 7, 1)))
    assert later["All recommendations"]["implemented"] == "2"


def test_matrix_shows_the_actions_taken_from_validated_narratives_only(small_upr):
    report = midterm(small_upr.source, date(2024, 3, 31))
    matrix = report.sections[1]
    rows = {r.cells["reference"][0]: r for g in matrix.groups for r in g.rows}
    health = rows["UPR-T-01"]
    assert health.cells["actions"] == ["2024-01-10: Rural clinics opened in two provinces."]
    assert health.cells["states"] == ["Thailand", "Viet Nam"]
    assert health.cells["bodies"] == ["Lead: MoH", "Supporting: MoJ"]
    assert health.cells["status"] == ["In progress (40%)"]
    assert rows["UPR-T-02"].cells["actions"] == []  # its only update awaits validation


def test_pending_updates_are_listed_apart_only_when_asked(small_upr):
    plain = midterm(small_upr.source, date(2024, 3, 31))
    assert all("awaiting" not in s.heading for s in plain.sections)
    asked = midterm(small_upr.source, date(2024, 3, 31), include_pending=True)
    pending = asked.sections[-1]
    assert pending.heading == "Updates awaiting validation"
    [row] = pending.groups[0].rows
    assert row.cells["code"] == ["UPR-T-02"]
    assert row.cells["narrative"] == ["Legal aid decree drafted."]
    # Not yet entered on 1 February: not pending then either.
    early = midterm(small_upr.source, date(2024, 2, 1), include_pending=True)
    assert early.sections[-1].row_count == 0


def test_updates_entered_after_the_day_are_not_pending_on_it(small_upr):
    health = small_upr.health
    state = snapshot([health], date(2024, 6, 10), TZ)[health.id]
    assert [u.narrative for u in state.counted] == ["Rural clinics opened in two provinces."]
    # Entered by add_update "now" (long after June 2024): never pending in June 2024.
    assert state.pending == []


def test_evidence_of_the_counted_updates_is_listed_by_name_only(small_upr):
    health = small_upr.health
    counted, later = sorted(health.updates, key=lambda u: u.reported_on)
    db.session.add_all(
        [
            Evidence(update=counted, url="https://example.org/clinics"),
            Evidence(update=counted, filename="ລາຍງານ-clinics.pdf", stored_name="a" * 32),
            Evidence(update=later, filename="june.pdf", stored_name="b" * 32),
        ]
    )
    db.session.commit()
    report = midterm(small_upr.source, date(2024, 3, 31))
    row = next(
        r for g in report.sections[1].groups for r in g.rows if "UPR-T-01" in r.cells["reference"]
    )
    assert row.cells["evidence"] == ["https://example.org/clinics", "ລາຍງານ-clinics.pdf"]
    hidden = services.make_report(
        "midterm",
        small_upr.source,
        as_of=date(2024, 3, 31),
        now=datetime(2026, 1, 1, tzinfo=UTC),
        may_see=lambda evidence: evidence.url is None,  # a reader who may not see links
    )
    rows = [r for g in hidden.sections[1].groups for r in g.rows]
    assert ["ລາຍງານ-clinics.pdf"] in [r.cells["evidence"] for r in rows]
