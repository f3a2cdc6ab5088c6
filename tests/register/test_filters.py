"""Every register filter, sorting, and the download of the current filter."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests import factories as f
from tests.conftest import login
from tracker.clock import local_today
from tracker.exchange.columns import COLUMNS
from tracker.extensions import db
from tracker.models import Position, Role, Status
from tracker.register.services import countries_named
from tracker.updates.services import add_update


@pytest.fixture
def world(app, make_user, client):
    today = local_today()
    upr = f.source("UPR-3", cycle=3)
    ws = f.source("WS-2023", kind=f.SourceKind.WORKSHOP)
    for code in ("MOJ", "MOHA", "LWU"):
        f.body(code)
    t163, t55 = f.sdg_target("16.3"), f.sdg_target("5.5", "Women's leadership")

    def due(days):
        return (today + timedelta(days=days)).isoformat()

    a = f.recommendation(
        upr,
        "A",
        lead="MOJ",
        supporting=("LWU",),
        deadline=due(-10),
        position=Position.SUPPORTED,
        text="Justice for all",
    )
    a.sdg_targets = [t163]
    a.states = countries_named(["France"])
    b = f.recommendation(
        upr, "B", lead="MOHA", deadline=due(40), position=Position.NOTED, text="Women in leadership"
    )
    b.sdg_targets = [t55]
    f.recommendation(ws, "C", lead="LWU", deadline="quarter 4/year?", text="Training plan")
    d = f.recommendation(ws, "D", lead="MOJ", deadline=due(-100), text="Legal aid")
    sec = make_user(Role.SECRETARIAT, email="sec@example.org")
    add_update(d, status=Status.IMPLEMENTED, reported_on=today, validated_by=sec)
    add_update(b, status=Status.IN_PROGRESS, reported_on=today)  # waiting for validation
    db.session.commit()
    login(client, "sec@example.org")
    return today


def codes(client, query: str) -> list[str]:
    page = client.get(f"/?{query}").get_data(as_text=True)
    found = [c for c in "ABCD" if f">{c}</a>" in page]
    return sorted(found, key=lambda c: page.index(f">{c}</a>"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["A", "B", "C", "D"]),
        ("cycle=3", ["A", "B"]),
        ("body=LWU", ["A", "C"]),
        ("body=LWU&role=lead", ["C"]),
        ("body=LWU&role=supporting", ["A"]),
        ("position=noted", ["B"]),
        ("sdg=16", ["A"]),
        ("sdg=5.5", ["B"]),
        ("state=France", ["A"]),
        ("overdue=1", ["A"]),  # D is overdue too, but implemented
        ("needs_date=1", ["C"]),
        ("pending=1", ["B"]),
        ("q=LEGAL", ["D"]),
        ("status=implemented", ["D"]),
        ("sort=deadline", ["D", "A", "B", "C"]),
        ("sort=-deadline", ["B", "A", "D", "C"]),
        ("sort=-code", ["D", "C", "B", "A"]),
    ],
)
def test_filters_and_sorting(client, world, query, expected):
    assert codes(client, query) == expected


def test_due_between_dates(client, world):
    today = world
    query = f"due_from={today - timedelta(days=20)}&due_to={today + timedelta(days=60)}"
    assert codes(client, query) == ["A", "B"]


def test_search_treats_percent_and_underscore_literally(client, world):
    assert codes(client, "q=%25") == []
    assert codes(client, "q=_") == []


def test_filters_stay_in_page_links_and_form(client, world):
    page = client.get("/?body=MOJ&overdue=1").get_data(as_text=True)
    assert 'name="overdue" value="1" checked' in page
    assert "/register.csv?body=MOJ&amp;overdue=1" in page


def test_download_gives_the_filtered_items_in_the_export_format(client, world):
    response = client.get("/register.csv?body=MOJ")
    assert response.headers["Content-Disposition"] == 'attachment; filename="recommendations.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["A", "D"]
    assert tuple(rows[0]) == COLUMNS
    workbook = load_workbook(io.BytesIO(client.get("/register.xlsx?overdue=1").get_data()))
    assert [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == ["A"]
    assert client.get("/register.pdf").status_code == 404


def test_due_date_follows_assignment_changes(app, world):
    from sqlalchemy import select

    from tracker.models import Body, Recommendation
    from tracker.register.services import assign, unassign

    rec = db.session.scalars(select(Recommendation).filter_by(code="C")).one()
    assert rec.due_date is None
    moja = db.session.scalars(select(Body).filter_by(code="MOJ")).one()
    assign(rec, moja, f.AssignmentRole.SUPPORTING, "by March 2030")
    assert str(rec.due_date) == "2030-03-31"
    unassign(rec.assignments[-1])
    assert rec.due_date is None
