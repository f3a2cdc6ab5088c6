"""Outside a request, the tracker speaks the operator's language: TRACKER_LANGUAGE, else the
locale variables (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). Reminders still go out in each
recipient's own language."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from flask_babel import refresh
from sqlalchemy import select

from tests import factories as f
from tests.test_translations import CATALOGUE
from tracker.extensions import db
from tracker.i18n import select_locale
from tracker.models import OutboxMessage, Role, User

VARIABLES = ("TRACKER_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def environment(monkeypatch):
    """No language in the environment; the test sets what it needs."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "en"),
        ({"TRACKER_LANGUAGE": "lo"}, "lo"),
        ({"LANG": "lo_LA.UTF-8"}, "lo"),
        ({"LC_MESSAGES": "lo_LA"}, "lo"),
        ({"LANGUAGE": "fr:lo", "LANG": "C.UTF-8"}, "lo"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        # The first locale variable set decides, as gettext reads them.
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "lo_LA.UTF-8"}, "en"),
        # TRACKER_LANGUAGE wins when it names one of the tracker's languages.
        ({"TRACKER_LANGUAGE": "en", "LANG": "lo_LA.UTF-8"}, "en"),
        ({"TRACKER_LANGUAGE": "fr", "LANG": "lo_LA.UTF-8"}, "lo"),
    ],
)
def test_outside_a_request_the_language_is_the_operators(app, environment, variables, expected):
    for name, value in variables.items():
        environment.setenv(name, value)
    assert select_locale() == expected


def test_in_a_request_the_environment_does_not_choose(app, environment):
    environment.setenv("TRACKER_LANGUAGE", "lo")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert select_locale() == "en"


def test_reminders_go_in_the_recipients_language_whatever_the_operators(app, runner, environment):
    environment.setenv("TRACKER_LANGUAGE", "lo")
    refresh()  # the locale is chosen once per app context: this test's is already open
    src = f.source()
    f.body("MOJ")
    rec = f.recommendation(src, "R-1", lead="MOJ", deadline="2024-05-15")
    user = User(
        email="fp@moj.example",
        name="Focal MoJ",
        password_hash="-",
        role=Role.FOCAL_POINT,
        body=rec.lead.body,
        language="en",
    )
    rec.lead.focal_points.append(user)
    db.session.commit()
    result = runner.invoke(args=["reminders", "run", "--as-of", "2024-05-08"])
    assert result.exit_code == 0, result.output
    message = db.session.scalar(select(OutboxMessage))
    assert message.subject == "Tracker: 1 due soon — 2024-05-08"
    assert "Due soon" in message.body_text


def test_a_command_answers_an_operator_in_lao_from_the_catalogue(app, runner, environment):
    environment.setenv("TRACKER_LANGUAGE", "lo")
    refresh()
    with open(CATALOGUE, "rb") as po:
        lao = read_po(po, locale="lo").get("%(email)r is not an email address").string
    assert re.search("[\u0e80-\u0eff]", lao), "the catalogue translates this message"
    args = ["users", "create", "--email", "nobody", "--role", "viewer", "--password", "pw-1234567"]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert lao % {"email": "nobody"} in result.output
