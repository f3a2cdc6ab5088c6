"""The trend equals the status each item had at each month's end by the rule that derives the
current status (latest validated update by date, then entry), and follows new validations."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select, text

from tests import factories
from tests.dashboard.conftest import month_end
from tracker.clock import local_today
from tracker.dashboard.cache import cached
from tracker.dashboard.queries import compute_figures
from tracker.dashboard.trend import STORE, TRACKED, compute_trend
from tracker.extensions import db
from tracker.models import Recommendation, Role, Status, User
from tracker.models.base import utcnow
from tracker.register.queries import RegisterFilter, register_query
from tracker.updates.services import add_update, latest_validated, return_update, validate_update


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
    trend = compute_trend(RegisterFilter(), local_today())
    assert trend.months == [] and trend.points == []


def brute_force_series(months: list[str], source: str | None = None) -> dict:
    """The trend recomputed from every validated update of the live items (of one source), read
    in plain SQL: at each month's end, each item's latest update by date, then entry."""
    rows = db.session.execute(
        text(
            "SELECT u.recommendation_id, u.reported_on, u.id, u.status FROM status_update u"
            " JOIN recommendation r ON r.id = u.recommendation_id"
            " WHERE u.review_state = 'VALIDATED' AND r.archived = :no"
            + (" AND r.source_id = (SELECT id FROM source WHERE code = :source)" if source else "")
        ),
        {"no": False, "source": source},
    ).all()
    series = {s: [] for s in TRACKED}
    for month in months:
        end = month_end(int(month[:4]), int(month[5:])).isoformat()
        latest: dict[int, tuple] = {}
        for item, reported_on, update_id, status in rows:
            key = (str(reported_on)[:10], update_id)
            if key[0] <= end and key > latest.get(item, ("", 0))[:2]:
                latest[item] = (*key, status)
        for s in TRACKED:
            series[s].append(sum(1 for *_, status in latest.values() if status == s.name))
    return series


def backdated_history(rng, recs, sec, today, n: int) -> None:
    """n updates entered in random order of their dates (so entry order and date order differ),
    with same-day and same-month pairs, untracked statuses, and pending, returned and later
    validated ones."""
    for _ in range(n):
        rec = rng.choice(recs)
        reported_on = today - timedelta(days=rng.choice([rng.randrange(900), 0, 31, 31, 400]))
        update = add_update(rec, status=rng.choice(list(Status)), reported_on=reported_on)
        fate = rng.random()
        if fate < 0.7:
            validate_update(update, sec, at=utcnow())
        elif fate < 0.8:
            return_update(update, sec, "Not enough evidence.", at=utcnow())
    db.session.commit()


def check_trends(today) -> dict:
    """All items (counted as all but the archived), most of them (UPR-3) and a few (RTIM):
    each trend equals the brute-force count, from the first month an item was tracked at."""
    trends = {}
    for source in (None, "UPR-3", "RTIM-2023"):
        trend = compute_trend(RegisterFilter(source=source), today)
        assert trend.months[-1] == today.strftime("%Y-%m")
        assert trend.series == brute_force_series(trend.months, source)
        first = date.fromisoformat(f"{trend.months[0]}-01") - timedelta(days=1)
        before = brute_force_series([first.strftime("%Y-%m")], source)
        assert all(n == [0] for n in before.values())
        assert any(trend.series[s][0] for s in TRACKED)
        trends[source] = trend
    return trends


def test_trend_equals_a_brute_force_count_over_backdated_history(app, make_user):
    """Checked after a full read of the history, and again after new backdated validations,
    an archived item and a new item have been caught up from the audit trail."""
    rng = random.Random(5)
    today = local_today()
    sec = make_user(Role.SECRETARIAT, email="sec@example.org")
    upr = factories.source("UPR-3")
    rtim = factories.source("RTIM-2023", kind=factories.SourceKind.RTIM, year=2023)
    recs = [factories.recommendation(upr if i < 20 else rtim, f"B{i:02d}") for i in range(30)]
    backdated_history(rng, recs, sec, today, 200)
    assert len(check_trends(today)[None].months) > 24

    steps = app.extensions[STORE]
    backdated_history(rng, recs, sec, today, 60)
    recs[3].archived = True
    recs.append(factories.recommendation(rtim, "B99"))
    add_update(recs[-1], status=Status.IN_PROGRESS, reported_on=date(2020, 1, 15), validated_by=sec)
    db.session.commit()
    caught_up = check_trends(today)
    assert app.extensions[STORE] is steps  # caught up, not read again
    assert caught_up[None].months[0] == caught_up["RTIM-2023"].months[0] == "2020-01"
    app.extensions.pop(STORE)
    assert check_trends(today) == caught_up  # the same as a full read
