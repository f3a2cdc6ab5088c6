"""Dashboard figures equal independent SQL counts, written here in plain SQL, on the synthetic
register and on the seed data, with and without filters."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import text

from tracker.dashboard import queries
from tracker.extensions import db
from tracker.models import Body, Cluster, Source, Status
from tracker.register.queries import RegisterFilter

LIVE = "r.archived = :no"
OVERDUE = "r.due_date < :today AND r.status NOT IN ('IMPLEMENTED', 'NO_LONGER_RELEVANT')"
TREE = """WITH RECURSIVE tree(id, top) AS (
    SELECT id, id FROM cluster WHERE {roots}
    UNION ALL SELECT c.id, t.top FROM cluster c JOIN tree t ON c.parent_id = t.id)"""


def sql(statement: str, **params):
    return db.session.execute(text(statement), {"no": False, **params}).all()


def where_of(filters: dict) -> tuple[str, dict]:
    """The dashboard's filters, as plain SQL on `r` (recommendation)."""
    parts, params = [LIVE], {}
    if "source" in filters:
        parts.append("r.source_id = (SELECT id FROM source WHERE code = :source)")
        params["source"] = filters["source"]
    if "body" in filters:
        parts.append(
            "r.id IN (SELECT recommendation_id FROM assignment a JOIN body b ON b.id = a.body_id"
            " WHERE b.code = :body)"
        )
        params["body"] = filters["body"]
    if "cluster" in filters:
        parts.append(f"r.cluster_id IN ({TREE.format(roots='id = :cluster')} SELECT id FROM tree)")
        params["cluster"] = filters["cluster"]
    if "due_from" in filters:
        parts += ["r.due_date >= :due_from", "r.due_date <= :due_to"]
        params |= {"due_from": filters["due_from"], "due_to": filters["due_to"]}
    return " AND ".join(parts), params


def as_table(rows) -> dict:
    """{key: ({status: n}, overdue)} from (key, status, n, overdue) rows."""
    table = defaultdict(lambda: [{}, 0])
    for key, status, n, late in rows:
        table[key][0][Status[status]] = n
        table[key][1] += int(late or 0)
    return {k: (counts, late) for k, (counts, late) in table.items()}


def shown(rows, key) -> dict:
    return {key(r): (r.counts, r.overdue) for r in rows}


def filter_cases(today):
    return [
        {},
        {"source": "UPR-3"},
        {"body": "MOJ"},
        {"due_from": today.replace(year=today.year - 1), "due_to": today},
    ]


def _filter(case: dict) -> RegisterFilter:
    case = dict(case)
    if "cluster" in case:
        case["cluster"] = int(case["cluster"])
    return RegisterFilter(**case)


def check_all(today, case: dict) -> None:
    where, params = where_of(case)
    params["today"] = today
    f = _filter(case)
    late = f"SUM(CASE WHEN {OVERDUE} THEN 1 ELSE 0 END)"

    # Headline
    head = queries.headline(f, today)
    by_status = f"SELECT status, COUNT(*) FROM recommendation r WHERE {where} GROUP BY status"
    expected = {Status[s]: n for s, n in sql(by_status, **params)}
    assert head.by_status == expected
    assert head.total == sum(expected.values())
    [(overdue,)] = sql(
        f"SELECT COUNT(*) FROM recommendation r WHERE {where} AND {OVERDUE}", **params
    )
    assert head.overdue == overdue
    [(needs_date,)] = sql(
        f"SELECT COUNT(*) FROM recommendation r WHERE {where} AND EXISTS (SELECT 1 FROM"
        " assignment a WHERE a.recommendation_id = r.id AND a.deadline IS NULL"
        " AND a.recurrence IS NULL)",
        **params,
    )
    assert head.needs_date == needs_date
    [(pending,)] = sql(
        f"SELECT COUNT(*) FROM recommendation r WHERE {where} AND EXISTS (SELECT 1 FROM"
        " status_update u WHERE u.recommendation_id = r.id AND u.review_state = 'SUBMITTED')",
        **params,
    )
    assert head.pending == pending
    moved = sum(
        expected.get(s, 0)
        for s in (Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED)
    )
    assert head.progressing == moved

    # By source
    rows = sql(
        f"SELECT s.code, r.status, COUNT(*), {late} FROM recommendation r JOIN source s"
        f" ON s.id = r.source_id WHERE {where} GROUP BY s.code, r.status",
        **params,
    )
    assert shown(queries.by_source(f, today), lambda r: r.label) == as_table(rows)

    # By lead body
    body_where = where + (" AND b.code = :body" if "body" in case else "")
    rows = sql(
        f"SELECT b.code, r.status, COUNT(*), {late} FROM recommendation r JOIN assignment a"
        f" ON a.recommendation_id = r.id AND a.role = 'LEAD' JOIN body b ON b.id = a.body_id"
        f" WHERE {body_where} GROUP BY b.code, r.status",
        **params,
    )
    assert shown(queries.by_lead_body(f, today), lambda r: r.args["body"]) == as_table(rows)

    # By top-level cluster (or the sub-clusters of the filter's cluster), each with its subtree
    roots = "parent_id = :cluster" if "cluster" in case else "parent_id IS NULL"
    rows = sql(
        f"{TREE.format(roots=roots)} SELECT t.top, r.status, COUNT(*), {late}"
        f" FROM recommendation r JOIN tree t ON t.id = r.cluster_id WHERE {where}"
        " GROUP BY t.top, r.status",
        **params,
    )
    assert shown(queries.by_cluster(f, today), lambda r: int(r.args["cluster"])) == as_table(rows)

    # By SDG goal: an item with two targets of one goal counts once
    late_ids = f"COUNT(DISTINCT CASE WHEN {OVERDUE} THEN r.id END)"
    rows = sql(
        f"SELECT g.number, r.status, COUNT(DISTINCT r.id), {late_ids} FROM recommendation r"
        " JOIN recommendation_sdg_target rt ON rt.recommendation_id = r.id"
        " JOIN sdg_target t ON t.id = rt.sdg_target_id JOIN sdg_goal g ON g.id = t.goal_id"
        f" WHERE {where} GROUP BY g.number, r.status",
        **params,
    )
    assert shown(queries.by_sdg_goal(f, today), lambda r: int(r.args["sdg"])) == as_table(rows)

    # By recommending State
    rows = sql(
        f"SELECT c.name, r.status, COUNT(*), {late} FROM recommendation r"
        " JOIN recommendation_state rs ON rs.recommendation_id = r.id"
        f" JOIN country c ON c.id = rs.country_id WHERE {where} GROUP BY c.name, r.status",
        **params,
    )
    assert shown(queries.by_state(f, today), lambda r: r.label) == as_table(rows)


def test_figures_match_sql_on_synthetic_data(synthetic):
    today = synthetic
    cluster_id = db.session.scalar(text("SELECT id FROM cluster WHERE title = 'Civil rights'"))
    for case in filter_cases(today) + [{"cluster": cluster_id}, {"source": "UPR-3", "body": "LWU"}]:
        check_all(today, case)


def test_figures_match_sql_on_seed_data(seeded):
    today = seeded
    upr_cluster = db.session.scalars(
        db.select(Cluster.id)
        .join(Source)
        .where(Source.code == "UPR-3", Cluster.parent_id.is_(None))
    ).first()
    for case in filter_cases(today) + [{"cluster": upr_cluster}]:
        check_all(today, case)


def test_synthetic_data_exercises_every_figure(synthetic):
    """The synthetic register is not trivially empty anywhere the tests look."""
    head = queries.headline(RegisterFilter(), synthetic)
    assert head.overdue and head.needs_date and head.pending and head.progressing
    assert len(head.by_status) >= 4
    f = RegisterFilter()
    for rows in (
        queries.by_source(f, synthetic),
        queries.by_lead_body(f, synthetic),
        queries.by_cluster(f, synthetic),
        queries.by_sdg_goal(f, synthetic),
        queries.by_state(f, synthetic),
    ):
        assert len(rows) >= 2


def test_archived_items_are_not_counted(synthetic):
    before = queries.headline(RegisterFilter(), synthetic).total
    [(live,)] = sql("SELECT COUNT(*) FROM recommendation r WHERE r.archived = :no")
    assert before == live
    assert db.session.scalar(text("SELECT COUNT(*) FROM recommendation")) == live + 1


def test_a_body_filter_shows_only_that_bodys_lead_row(synthetic):
    rows = queries.by_lead_body(RegisterFilter(body="MOJ"), synthetic)
    assert [r.args for r in rows] == [{"body": "MOJ", "role": "lead"}]
    assert db.session.scalar(db.select(Body.id).where(Body.code == "MOJ"))


@pytest.mark.parametrize("level", ["top", "sub"])
def test_cluster_rows_drill_down_to_sub_clusters(synthetic, level):
    top = db.session.scalar(db.select(Cluster).where(Cluster.title == "Civil rights"))
    f = RegisterFilter() if level == "top" else RegisterFilter(cluster=top.id)
    rows = queries.by_cluster(f, synthetic)
    titles = [r.label for r in rows]
    if level == "top":
        assert "Civil rights" in titles and "Justice" not in titles
        assert next(r for r in rows if r.label == "Civil rights").drill == top.id
    else:
        assert titles == ["Justice"]
