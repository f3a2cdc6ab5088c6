"""The trend equals the status each item had at each month's end by the rule that derives the
current status (latest validated update by date, then entry), and follows new validations."""

from __future__ import annotations

from sqlalchemy import select

from tests.dashboard.conftest import month_end
from tracker.dashboard.cache import cached
from tracker.dashboard.queries import compute_figures
from tracker.dashboard.trend import TRACKED, compute_trend
from tracker.extensions import db
from tracker.models import Recommendation, Role, Status, User
from tracker.register.queries import RegisterFilter, register_query
from tracker.updates.services import add_update, latest_validated, validate_update


def expected_series(f: RegisterFilter, today, months: list[str]) -> dict:
    recs = db.session.scalars(register_query(f, today)).all()
    series = {s: [] for s in TRACKED}
    for month in months:
        end = month_end(int(month[:4]), int(month[5:]))
        states = [latest_validated(r, as_of=end) for r in recs]
        for s in TRACKED:
            series[s].append(sum(1 for u in states if u is not None and u.status is s))
    return series


def test_trend_matches_the_status_rule_month_by_month(synthetic):
    today = synthetic
    for f in (RegisterFilter(), RegisterFilter(source="UPR-3"), RegisterFilter(body="MOJ")):
        trend = compute_trend(f, today)
        assert trend.months[-1] == today.strftime("%Y-%m")
        assert len(trend.months) > 12
        assert trend.series == expected_series(f, today, trend.months)


def cached_trend(f, today):
    return cached("trend", f, today, compute_trend)


def test_a_new_validation_changes_the_cached_figures(synthetic):
    today = synthetic
    f = RegisterFilter()
    before = cached_trend(f, today)
    figures = cached("figures", f, today, compute_figures)
    assert cached_trend(f, today) is before  # kept while nothing changes
    assert cached("figures", f, today, compute_figures) is figures
    rec = db.session.scalars(select(Recommendation).where(Recommendation.code == "R01")).one()
    sec = db.session.scalars(select(User).where(User.role == Role.SECRETARIAT)).one()
    rec_was_pending = any(u.review_state.value == "submitted" for u in rec.updates)
    update = add_update(rec, status=Status.IMPLEMENTED, reported_on=today)
    db.session.commit()
    assert cached_trend(f, today).series == before.series  # submitted only: nothing yet
    pending = cached("figures", f, today, compute_figures).headline.pending
    assert pending == figures.headline.pending + (0 if rec_was_pending else 1)
    validate_update(update, sec, at=update.created_at)
    db.session.commit()
    after = cached_trend(f, today)
    assert after.series == expected_series(f, today, after.months)
    was = latest_validated(rec, as_of=today)
    assert was.status is Status.IMPLEMENTED
    assert after.series[Status.IMPLEMENTED][-1] >= 1
    now = cached("figures", f, today, compute_figures).headline
    assert now.by_status == compute_figures(f, today).headline.by_status
    assert now.by_status.get(Status.IMPLEMENTED, 0) >= 1


def test_trend_is_empty_without_validated_updates(app):
    from tracker.clock import local_today

    trend = compute_trend(RegisterFilter(), local_today())
    assert trend.months == [] and trend.points == []
