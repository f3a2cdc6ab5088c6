"""Rules of the data model: derived status, append-only history, audit trail, Lao text."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tests import factories as f
from tracker.audit import acting_as
from tracker.extensions import db
from tracker.models import AuditEvent, Recommendation, ReviewState, Status, StatusUpdate
from tracker.updates.services import add_update, latest_validated


@pytest.fixture
def rec(app):
    src = f.source()
    f.body("MOJ")
    rec = f.recommendation(src, "UPR3-B-01", lead="MOJ", deadline="quarter 1/2024")
    db.session.commit()
    return rec


def test_status_is_the_latest_validated_update_not_the_latest_submitted(rec, make_user):
    secretariat = make_user(email="sec@example.org")
    add_update(
        rec, status=Status.IN_PROGRESS, reported_on=date(2024, 1, 10), validated_by=secretariat
    )
    add_update(rec, status=Status.IMPLEMENTED, reported_on=date(2024, 2, 1))  # only submitted
    db.session.commit()
    assert rec.status is Status.IN_PROGRESS
    assert rec.status_date == date(2024, 1, 10)


def test_latest_is_by_date_of_the_action_and_as_of_ignores_later_updates(rec, make_user):
    secretariat = make_user(email="sec@example.org")
    add_update(
        rec,
        status=Status.PARTIALLY_IMPLEMENTED,
        reported_on=date(2024, 5, 1),
        validated_by=secretariat,
    )
    # A late entry about an earlier action does not move the status back.
    add_update(
        rec, status=Status.IN_PROGRESS, reported_on=date(2024, 3, 1), validated_by=secretariat
    )
    db.session.commit()
    assert rec.status is Status.PARTIALLY_IMPLEMENTED
    assert latest_validated(rec, as_of=date(2024, 4, 1)).status is Status.IN_PROGRESS
    assert latest_validated(rec, as_of=date(2024, 2, 1)) is None


def test_updates_are_appended_never_overwritten(rec, make_user):
    secretariat = make_user(email="sec@example.org")
    for status in (Status.IN_PROGRESS, Status.IMPLEMENTED):
        add_update(rec, status=status, reported_on=date(2024, 1, 1), validated_by=secretariat)
    db.session.commit()
    rows = db.session.scalars(select(StatusUpdate).order_by(StatusUpdate.id)).all()
    assert [u.status for u in rows] == [Status.IN_PROGRESS, Status.IMPLEMENTED]
    assert all(u.review_state is ReviewState.VALIDATED for u in rows)
    assert rec.status is Status.IMPLEMENTED  # same date: the later entry wins


def test_every_change_is_audited_with_actor_and_before_after(rec):
    with acting_as("cli: test"):
        rec.text = "A corrected text"
        db.session.commit()
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "Recommendation",
            AuditEvent.action == "update",
            AuditEvent.actor_label == "cli: test",
        )
    ).one()
    assert event.actor_label == "cli: test"
    assert event.recommendation_id == rec.id
    assert event.changes["text"] == {"before": "Do the right thing.", "after": "A corrected text"}


def test_assignment_creation_is_audited_against_its_recommendation(rec):
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "Assignment")).all()
    assert len(events) == 1
    assert events[0].recommendation_id == rec.id
    assert events[0].changes["deadline"]["after"] == "2024-03-31"
    assert events[0].changes["deadline_text"]["after"] == "quarter 1/2024"


def test_a_stale_edit_is_refused_not_silently_overwritten(rec, app):
    other = db.session.get(Recommendation, rec.id)
    version = other.version
    db.session.execute(
        Recommendation.__table__.update()
        .where(Recommendation.id == rec.id)
        .values(text="changed elsewhere", version=version + 1)
    )
    other.text = "my edit"
    with pytest.raises(StaleDataError):
        db.session.flush()


def test_lao_text_is_stored_and_read_back_intact(rec):
    lao = "ສົ່ງເສີມ ແລະ ປົກປ້ອງສິດທິມະນຸດ"
    rec.text_lo = lao
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Recommendation, rec.id).text_lo == lao
