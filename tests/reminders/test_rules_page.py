"""The secretariat changes the reminder rules in the browser."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login
from tracker.models import Role
from tracker.reminders.rules import DEFAULT_RULES, load_rules


@pytest.fixture
def secretariat(client, make_user):
    make_user(Role.SECRETARIAT, email="sec@example.org")
    login(client, "sec@example.org")


def post(client, **data):
    form = {
        "before_days": "30, 7, 0",
        "overdue_every_days": "14",
        "escalate_head_after_days": "30",
        "escalate_secretariat_after_days": "90",
        "stale_after_days": "",
        "waiting_review_days": "7",
        "returned_resubmit_days": "14",
        "needs_date_monthly": "y",
    } | data
    return client.post(
        "/admin/reminder-rules",
        data=form | {"csrf_token": csrf_token(client, "/admin/reminder-rules")},
    )


def test_page_shows_the_rules_in_force(client, secretariat):
    page = client.get("/admin/reminder-rules").get_data(as_text=True)
    assert 'value="30, 14, 7, 1, 0"' in page and "08:00" in page


def test_secretariat_changes_the_rules_and_an_empty_number_switches_a_rule_off(client, secretariat):
    assert post(client).status_code == 302
    rules = load_rules()
    assert rules.before_days == (30, 7, 0)
    assert rules.overdue_every_days == 14 and rules.escalate_secretariat_after_days == 90
    assert rules.stale_after_days is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"before_days": "30, soon"}, "Write whole numbers of days"),
        ({"before_days": "7, 7"}, "the same number of days twice"),
        ({"overdue_every_days": "0"}, "Number must be between 1 and 3650."),
    ],
)
def test_bad_rules_are_refused_beside_the_field_and_nothing_changes(
    client, secretariat, data, message
):
    response = post(client, **data)
    assert message in response.get_data(as_text=True)
    assert load_rules() == DEFAULT_RULES


def test_only_the_secretariat_changes_the_rules(client, make_user):
    make_user(Role.VIEWER, email="viewer@example.org")
    login(client, "viewer@example.org")
    assert client.get("/admin/reminder-rules").status_code == 403
