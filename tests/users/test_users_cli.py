"""`flask --app tracker users create`."""

import pytest
from sqlalchemy import select

from tests import factories as f
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User


@pytest.fixture
def moj(app):
    f.body("MOJ")
    db.session.commit()


def create(runner, *args):
    return runner.invoke(args=["users", "create", *args])


def test_create_a_focal_point_for_a_body(runner, moj):
    result = create(
        runner,
        "--email",
        "Somchai@MOJ.gov.la",
        "--name",
        "ສົມໃຈ",
        "--role",
        "focal_point",
        "--body",
        "MOJ",
        "--password",
        "lao-pdr-2024",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User)).one()
    assert (user.email, user.name, user.role, user.body.code) == (
        "somchai@moj.gov.la",
        "ສົມໃຈ",
        Role.FOCAL_POINT,
        "MOJ",
    )
    assert user.check_password("lao-pdr-2024") and user.password_hash != "lao-pdr-2024"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "User")).one()
    assert event.actor_label == "cli: users create"
    assert event.changes["password_hash"]["after"] == "***"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "focal_point"], "a focal point needs a body"),
        (["--role", "focal_point", "--body", "NOPE"], "unknown body 'NOPE'"),
        (["--role", "viewer", "--password", "short1"], "at least 10 characters"),
        (["--role", "viewer", "--password", "onlyletters"], "mix letters with digits"),
        (["--role", "king"], "Invalid value for '--role'"),
    ],
)
def test_create_refuses_bad_input_with_a_clear_message(runner, moj, args, message):
    if "--password" not in args:
        args = [*args, "--password", "good-password-1"]
    result = create(runner, "--email", "a@example.org", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalars(select(User)).first() is None


def test_email_must_be_unique_whatever_its_case(runner, moj):
    assert (
        create(
            runner, "--email", "a@example.org", "--role", "viewer", "--password", "good-password-1"
        ).exit_code
        == 0
    )
    result = create(
        runner, "--email", "A@Example.org", "--role", "viewer", "--password", "good-password-1"
    )
    assert result.exit_code != 0 and "already exists" in result.output
