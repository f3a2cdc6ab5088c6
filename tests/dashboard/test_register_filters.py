"""The register filter the dashboard added: `progress` (implemented, partially implemented or in
progress), kept in the URL both ways."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from tests import factories as f
from tests.conftest import login
from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import Role, Status
from tracker.register.queries import RegisterFilter
from tracker.updates.services import add_update


def test_progress_filter_lists_items_that_have_moved(app, client, make_user):
    sec = make_user(Role.SECRETARIAT, email="sec@example.org")
    src = f.source("UPR-3")
    for code, status in [
        ("A", Status.IN_PROGRESS),
        ("B", Status.PARTIALLY_IMPLEMENTED),
        ("C", Status.IMPLEMENTED),
        ("D", Status.NO_LONGER_RELEVANT),
        ("E", None),
    ]:
        rec = f.recommendation(src, code)
        if status:
            add_update(rec, status=status, reported_on=local_today(), validated_by=sec)
    db.session.commit()
    login(client, "sec@example.org")
    page = client.get("/?progress=1").get_data(as_text=True)
    assert [c for c in "ABCDE" if f">{c}</a>" in page] == ["A", "B", "C"]
    assert "3 recommendations" in page
    # The filter form shows it, so that filtering again from the form keeps it.
    assert 'name="progress" value="1" checked' in page


def test_progress_filter_round_trips_through_the_url():
    filters = RegisterFilter.from_args(MultiDict({"progress": "1", "source": "UPR-3"}))
    assert filters.progress and filters.to_args() == {"source": "UPR-3", "progress": "1"}
    assert RegisterFilter.from_args(MultiDict(filters.to_args())) == filters
    assert not RegisterFilter.from_args(MultiDict({"progress": "yes"})).progress
