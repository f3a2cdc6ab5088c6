"""Loading seeds/ into the database: complete, idempotent, history-preserving, all or nothing."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.seeds.conftest import SEEDS, load_source_files
from tracker.extensions import db
from tracker.models import (
    Assignment,
    AuditEvent,
    Body,
    DeadlinePrecision,
    Indicator,
    Recommendation,
    Role,
    Source,
    StatusUpdate,
    User,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def rec(code: str) -> Recommendation:
    return db.session.scalars(select(Recommendation).where(Recommendation.code == code)).one()


@pytest.fixture
def seed_copy(tmp_path):
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def seed(runner, *args):
    return runner.invoke(args=["seed", *args])


def test_seed_loads_every_item_of_every_source(runner):
    result = seed(runner)
    assert result.exit_code == 0, result.output
    expected = {
        data["source"]["code"]: len(data["recommendations"])
        for data in load_source_files().values()
    }
    loaded = dict(
        db.session.execute(
            select(Source.code, func.count(Recommendation.id))
            .join(Recommendation.source)
            .group_by(Source.code)
        ).all()
    )
    assert loaded == expected
    assert count(Indicator) == sum(
        len(d.get("indicators") or []) for d in load_source_files().values()
    )


def test_seeded_deadlines_are_parsed_and_keep_their_text(runner):
    seed(runner)
    midterm = next(
        r
        for r in db.session.scalars(
            select(Recommendation).where(Recommendation.code.like("UPR3-L-%"))
        )
        if "mid-term report" in r.text
    )
    assert midterm.lead.body.code == "MOFA"
    assert (midterm.lead.deadline, midterm.lead.deadline_precision) == (
        date(2022, 12, 31),
        DeadlinePrecision.YEAR,
    )
    assert midterm.lead.deadline_text == "by the end of 2022"
    undated = [
        a
        for a in db.session.scalars(select(Assignment))
        if a.deadline_text
        and "year?" in a.deadline_text
        and not re.search(r"\d{4}", a.deadline_text)
    ]
    assert len(undated) >= 3 and all(a.needs_date for a in undated)


def test_reported_responses_become_validated_history(runner):
    seed(runner)
    responses = db.session.scalars(select(StatusUpdate)).all()
    assert responses
    assert all(u.review_state.value == "validated" and u.source_note for u in responses)
    with_response = db.session.get(Recommendation, responses[0].recommendation_id)
    assert with_response.status.value == "in_progress"


def test_second_seed_run_changes_nothing(runner):
    seed(runner)
    before = (count(AuditEvent), count(Recommendation), count(StatusUpdate))
    result = seed(runner)
    assert result.exit_code == 0
    assert "created" not in result.output and "updated" not in result.output
    assert (count(AuditEvent), count(Recommendation), count(StatusUpdate)) == before


def test_edited_seed_updates_the_item_by_code_without_touching_its_history(runner, seed_copy):
    seed(runner, "--seed-dir", str(seed_copy))
    code = next(r.code for r in db.session.scalars(select(Recommendation)) if r.updates)
    item = rec(code)
    history = [(u.id, u.narrative) for u in item.updates]
    path = next(
        p for p in (seed_copy / "sources").glob("*.yaml") if f"code: {code}\n" in p.read_text()
    )
    text = path.read_text()
    path.write_text(text.replace(f"code: {code}\n", f"code: {code}\n    text_lo: ທົດລອງ\n", 1))
    result = seed(runner, "--seed-dir", str(seed_copy))
    assert result.exit_code == 0, result.output
    assert "recommendation: 1 updated" in result.output
    db.session.expire_all()
    item = rec(code)
    assert item.text_lo == "ທົດລອງ"
    assert [(u.id, u.narrative) for u in item.updates] == history


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("code: UPR3-A-02\n", "code: UPR3-A-01\n"), "field 'code': duplicate code"),
        (("body: MOFA\n", "body: NOPE\n"), "field 'assignments': unknown body code 'NOPE'"),
        (
            ("position: not_applicable\n", "position: maybe\n"),
            "field 'position': 'maybe' is not one of",
        ),
        (
            ("date: 2020-12-04\n", "date: 2020-02-30\n"),
            "field 'date': '2020-02-30' is not a real date",
        ),
        (("kind: UPR\n", "kind: UPR\n  colour: red\n"), "field 'colour': unknown field"),
        (("cycle: 3\n", "cycle: [3\n"), "not valid YAML"),
    ],
)
def test_bad_seed_file_names_file_line_and_field_and_loads_nothing(
    runner, seed_copy, edit, message
):
    path = seed_copy / "sources" / "upr-3.yaml"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))
    result = seed(runner, "--seed-dir", str(seed_copy))
    assert result.exit_code != 0
    assert "upr-3.yaml" in result.output and message in result.output
    assert "line " in result.output
    assert "nothing was loaded" in result.output
    assert count(Recommendation) == 0 and count(Body) == 0


def test_seed_file_in_a_wrong_encoding_is_refused(runner, seed_copy):
    path = seed_copy / "bodies.yaml"
    path.write_bytes(path.read_bytes() + "- code: MIN\n  name: Ministère\n".encode("latin-1"))
    result = seed(runner, "--seed-dir", str(seed_copy))
    assert result.exit_code != 0
    assert "bodies.yaml: not UTF-8" in result.output
    assert count(Body) == 0


def test_demo_adds_accounts_for_each_lead_body_and_prints_logins(runner):
    result = seed(runner, "--demo")
    assert result.exit_code == 0, result.output
    lead_bodies = set(
        db.session.scalars(select(Body.code).join(Assignment).where(Assignment.role == "LEAD"))
    )
    focal_bodies = set(
        db.session.scalars(
            select(Body.code)
            .join(User, User.body_id == Body.id)
            .where(User.role == Role.FOCAL_POINT)
        )
    )
    assert focal_bodies == lead_bodies
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {Role.ADMIN, Role.SECRETARIAT, Role.FOCAL_POINT, Role.VIEWER}
    assert "secretariat@tracker.example" in result.output
    assert count(StatusUpdate) > sum(
        len(i.get("updates") or [])
        for d in load_source_files().values()
        for i in d["recommendations"]
    )
    # The printed password works.
    line = next(x for x in result.output.splitlines() if x.startswith("admin@"))
    admin = db.session.scalars(select(User).where(User.email == "admin@tracker.example")).one()
    assert admin.check_password(line.split()[1])
    again = seed(runner, "--demo")
    assert again.exit_code == 0 and line in again.output
