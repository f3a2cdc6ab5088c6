"""The register list and the recommendation page as a signed-in user sees them."""

from datetime import date

import pytest

from tests import factories as f
from tests.conftest import login
from tracker.extensions import db
from tracker.models import Role, Status
from tracker.register.services import cluster_by_path
from tracker.updates.services import add_update


@pytest.fixture
def register(app, make_user, client):
    src = f.source("UPR-3")
    other = f.source("WS-2023-GENDER", kind=f.SourceKind.WORKSHOP)
    f.body("MOJ")
    f.body("MOHA", name="Ministry of Home Affairs", name_lo="ກະຊວງພາຍໃນ")
    health = cluster_by_path(src, ["C. Economic, social and cultural rights", "Right to health"])
    education = cluster_by_path(
        src, ["C. Economic, social and cultural rights", "Right to education"]
    )
    f.recommendation(
        src, "UPR3-C-01", lead="MOJ", cluster=health, text="Achieve universal health coverage."
    )
    f.recommendation(
        src,
        "UPR3-C-02",
        lead="MOHA",
        cluster=education,
        text="Free primary education.",
        text_lo="ການສຶກສາຊັ້ນປະຖົມ ບໍ່ເສຍຄ່າ",
    )
    f.recommendation(
        other,
        "GEN23-D1-01",
        lead="MOHA",
        deadline="quarter 4/year?",
        text="Develop a strategy to promote gender equality in governance",
    )
    db.session.commit()
    make_user(Role.VIEWER, email="viewer@example.org")
    login(client, "viewer@example.org")
    return src


def codes_on(client, query: str = "") -> list[str]:
    page = client.get(f"/{query}").get_data(as_text=True)
    found = [c for c in ("UPR3-C-01", "UPR3-C-02", "GEN23-D1-01") if f">{c}</a>" in page]
    return sorted(found, key=lambda c: page.index(f">{c}</a>"))  # in page order


def test_register_lists_everything_and_filters_by_source_body_and_status(client, register):
    assert codes_on(client) == ["GEN23-D1-01", "UPR3-C-01", "UPR3-C-02"]
    assert codes_on(client, "?source=UPR-3") == ["UPR3-C-01", "UPR3-C-02"]
    assert codes_on(client, "?body=MOHA") == ["GEN23-D1-01", "UPR3-C-02"]
    assert codes_on(client, "?status=implemented") == []


def test_cluster_filter_includes_sub_clusters(client, register):
    top = cluster_by_path(register, ["C. Economic, social and cultural rights"], create=False)
    health = cluster_by_path(
        register, ["C. Economic, social and cultural rights", "Right to health"], create=False
    )
    assert codes_on(client, f"?cluster={top.id}") == ["UPR3-C-01", "UPR3-C-02"]
    assert codes_on(client, f"?cluster={health.id}") == ["UPR3-C-01"]


def test_search_finds_english_and_lao_text(client, register):
    assert codes_on(client, "?q=health") == ["UPR3-C-01"]
    assert codes_on(client, "?q=ປະຖົມ") == ["UPR3-C-02"]


def test_status_filter_follows_validated_updates(client, register, make_user):
    from sqlalchemy import select

    from tracker.models import Recommendation

    sec = make_user(Role.SECRETARIAT, email="sec@example.org")
    rec = db.session.scalars(select(Recommendation).filter_by(code="UPR3-C-01")).one()
    add_update(rec, status=Status.IMPLEMENTED, reported_on=date(2024, 1, 1), validated_by=sec)
    db.session.commit()
    assert codes_on(client, "?status=implemented") == ["UPR3-C-01"]


def test_register_is_paginated_and_keeps_filters_in_page_links(app, client, register):
    src = register
    for i in range(60):
        f.recommendation(src, f"UPR3-Z-{i:02d}", lead="MOJ")
    db.session.commit()
    first = client.get("/?body=MOJ").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert "/?body=MOJ&amp;page=2" in first
    second = client.get("/?body=MOJ&page=2").get_data(as_text=True)
    assert "UPR3-Z-59" in second and "UPR3-Z-00" not in second


def test_undated_deadline_is_flagged_needs_a_date(client, register):
    page = client.get("/?source=WS-2023-GENDER").get_data(as_text=True)
    assert "Needs a date" in page
    assert "quarter 4/year?" in page  # the text as written stays visible


def test_recommendation_page_shows_text_assignments_history_and_audit(client, register, make_user):
    from sqlalchemy import select

    from tracker.models import Recommendation

    rec = db.session.scalars(select(Recommendation).filter_by(code="UPR3-C-02")).one()
    sec = make_user(Role.SECRETARIAT, email="sec@example.org")
    add_update(
        rec,
        status=Status.IN_PROGRESS,
        reported_on=date(2024, 2, 1),
        author=sec,
        narrative="Curriculum drafted.",
        validated_by=sec,
    )
    db.session.commit()
    page = client.get("/recommendations/UPR3-C-02").get_data(as_text=True)
    assert "Free primary education." in page
    assert "ການສຶກສາຊັ້ນປະຖົມ ບໍ່ເສຍຄ່າ" in page
    assert "Ministry of Home Affairs" in page
    assert "Curriculum drafted." in page
    assert "Right to education" in page
    assert "created Recommendation" in page


def test_recommendation_page_shows_each_change_before_and_after(client, register):
    from sqlalchemy import select

    from tracker.audit import acting_as
    from tracker.models import Recommendation

    rec = db.session.scalars(select(Recommendation).filter_by(code="UPR3-C-01")).one()
    with acting_as("cli: import test.csv"):
        rec.text = "Achieve universal health coverage by 2030."
        db.session.commit()
    page = client.get("/recommendations/UPR3-C-01").get_data(as_text=True)
    assert "changed Recommendation" in page and "cli: import test.csv" in page
    assert "<del>Achieve universal health coverage.</del>" in page
    assert "<ins>Achieve universal health coverage by 2030.</ins>" in page


def test_unknown_recommendation_is_404(client, register):
    assert client.get("/recommendations/NOPE").status_code == 404


def test_lao_interface_shows_lao_body_names(client, register):
    from tests.conftest import csrf_token

    client.post("/language/lo", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    page = client.get("/recommendations/UPR3-C-02").get_data(as_text=True)
    assert 'lang="lo"' in page
    assert "ກະຊວງພາຍໃນ" in page
