"""The secretariat validates or returns submitted updates; a returned update goes back to its
focal point, who resubmits a new one; only validated updates move a recommendation's status."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.updates.conftest import PDF, post_update
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, ReviewState, Status, StatusUpdate
from tracker.updates.services import (
    ReviewConflict,
    UpdateError,
    return_update,
    submit_update,
    validate_update,
)

AT = datetime(2024, 4, 1, 9, 0, tzinfo=UTC)


def submitted(world, assignment=None, author=None, **kwargs) -> StatusUpdate:
    arguments = {
        "status": Status.IN_PROGRESS,
        "percent": 30,
        "reported_on": date(2024, 3, 1),
        "narrative": "Work started.",
    } | kwargs
    update = submit_update(assignment or world.a, author or world.focal_a, **arguments)
    db.session.commit()
    return update


def review(browser, update_id: int, action: str, comment: str = "", kind: str = "updates"):
    prefix = ("u" if kind == "updates" else "v") + str(update_id)
    return browser.post(
        f"/validation/{kind}/{update_id}",
        data={
            f"{prefix}-csrf_token": csrf_token(browser, "/"),
            f"{prefix}-comment": comment,
            f"{prefix}-{action}": "yes",
        },
    )


def test_queue_lists_submitted_updates_oldest_first_with_what_the_reviewer_needs(world, signed_in):
    newer = submitted(world, world.b, world.focal_b, narrative="Plan published online.")
    older = submitted(world, narrative="Judges trained in Luang Prabang.")
    older.created_at = newer.created_at - timedelta(hours=1)
    done = submitted(world, narrative="Already validated.")
    validate_update(done, world.secretariat, AT)
    db.session.commit()

    page = signed_in(world.secretariat).get("/validation").get_data(as_text=True)
    assert page.index("Judges trained in Luang Prabang.") < page.index("Plan published online.")
    assert "Already validated." not in page
    for expected in ("GEN23-A-01", "Train judges on gender.", "MOJ", "Focal MOJ", "30%"):
        assert expected in page
    assert 'href="/validation"' in page and "Validation queue" in page  # the nav link


def test_queue_is_for_the_secretariat_only(world, signed_in):
    update = submitted(world)
    focal = signed_in(world.focal_a)
    assert focal.get("/validation").status_code == 403
    assert "Validation queue" not in focal.get("/").get_data(as_text=True)
    assert review(focal, update.id, "approve").status_code == 403
    assert signed_in(world.viewer).get("/validation").status_code == 403
    assert update.review_state is ReviewState.SUBMITTED


def test_only_validated_updates_change_the_status(world, signed_in):
    first = submitted(world, status=Status.IN_PROGRESS, percent=30)
    second = submitted(world, status=Status.IMPLEMENTED, percent=100, reported_on=date(2024, 3, 5))
    assert world.rec_a.status is Status.NOT_STARTED

    browser = signed_in(world.secretariat)
    response = review(browser, second.id, "send_back", "Attach the decree.")
    assert response.status_code == 302
    assert world.rec_a.status is Status.NOT_STARTED  # returned: no change

    response = review(browser, first.id, "approve")
    assert response.status_code == 302
    assert "is validated" in browser.get("/validation").get_data(as_text=True)
    assert first.review_state is ReviewState.VALIDATED
    assert first.reviewer_id == world.secretariat.id and first.reviewed_at is not None
    assert world.rec_a.status is Status.IN_PROGRESS
    assert world.rec_a.status_percent == 30 and world.rec_a.status_date == date(2024, 3, 1)
    # The change is in the audit trail, attributed to the reviewer.
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "StatusUpdate", AuditEvent.entity_id == first.id
        )
    ).all()
    assert any(
        e.changes.get("review_state", {}).get("after") == "validated"
        and e.actor_id == world.secretariat.id
        for e in events
    )


def test_returning_requires_a_comment_shown_beside_the_field(world, signed_in):
    update = submitted(world)
    browser = signed_in(world.secretariat)
    response = review(browser, update.id, "send_back", "   ")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(
        rf'<textarea[^>]*id="u{update.id}-comment"[^>]*>.*?</textarea>\s*'
        r'<p class="help"[^>]*>.*?</p>\s*<div class="field-error"[^>]*><p>([^<]+)</p>',
        page,
        re.S,
    )
    assert error and "the comment is required" in error.group(1)
    assert update.review_state is ReviewState.SUBMITTED

    too_long = "Missing the decree. " * 300
    response = review(browser, update.id, "send_back", too_long)
    assert response.status_code == 422
    assert too_long.strip() in response.get_data(as_text=True)  # what was typed is kept
    assert update.review_state is ReviewState.SUBMITTED


def test_second_reviewer_acting_on_an_already_reviewed_update_is_refused_without_change(
    world, signed_in, make_user
):
    from tracker.models import Role

    update = submitted(world)
    other = make_user(Role.SECRETARIAT, email="second@example.org", name="Second Reviewer")
    first_browser, second_browser = signed_in(world.secretariat), signed_in(other)
    first_browser.get("/validation")
    second_browser.get("/validation")  # both opened the queue

    assert review(first_browser, update.id, "approve").status_code == 302
    response = review(second_browser, update.id, "send_back", "Not enough evidence.")
    assert response.status_code == 302
    page = second_browser.get("/validation").get_data(as_text=True)
    assert "Someone else has already reviewed this (now Validated by Secretariat One)" in page
    assert update.review_state is ReviewState.VALIDATED
    assert update.reviewer_id == world.secretariat.id and update.review_comment is None
    assert world.rec_a.status is Status.IN_PROGRESS


def test_review_services_refuse_an_update_that_is_not_submitted(world, app):
    update = submitted(world)
    validate_update(update, world.secretariat, AT)
    with pytest.raises(ReviewConflict):
        return_update(update, world.secretariat, "Too late.", AT)
    with pytest.raises(ReviewConflict):
        validate_update(update, world.secretariat, AT)
    with pytest.raises(PermissionError):
        validate_update(submitted(world), world.focal_a, AT)


def test_returned_update_goes_back_to_its_focal_point_who_resubmits_a_new_one(world, signed_in):
    original = post_update(
        signed_in(world.focal_a),
        world.a.id,
        narrative="First attempt.",
        files=[("minutes.pdf", PDF)],
        links="https://moj.gov.la/a",
    )
    assert original.status_code == 302
    returned = db.session.scalars(select(StatusUpdate)).one()
    review(signed_in(world.secretariat), returned.id, "send_back", "Give the number trained.")

    focal = signed_in(world.focal_a)
    listing = focal.get("/updates/returned").get_data(as_text=True)
    assert "Give the number trained." in listing and "Returned by Secretariat One" in listing
    resubmit_url = f"/assignments/{world.a.id}/updates/new?replaces={returned.id}"
    assert resubmit_url.replace("&", "&amp;") in listing
    # The other body's focal point does not see it.
    other = signed_in(world.focal_b).get("/updates/returned").get_data(as_text=True)
    assert "Give the number trained." not in other
    # The recommendation page shows the returned state, the comment and how to resubmit.
    detail = focal.get("/recommendations/GEN23-A-01").get_data(as_text=True)
    assert "Returned" in detail and "Give the number trained." in detail
    assert f"replaces={returned.id}" in detail

    form = focal.get(resubmit_url).get_data(as_text=True)
    assert "First attempt.</textarea>" in form  # prefilled from the returned update
    assert 'value="in_progress" selected' in form or 'selected value="in_progress"' in form

    keep = [e.id for e in returned.evidence if e.stored_name]  # keep the file, drop the link
    response = post_update(
        focal,
        world.a.id,
        query=f"?replaces={returned.id}",
        narrative="42 judges trained.",
        keep=keep,
    )
    assert response.status_code == 302

    new = db.session.scalars(select(StatusUpdate).where(StatusUpdate.id != returned.id)).one()
    assert new.replaces_id == returned.id and new.review_state is ReviewState.SUBMITTED
    assert new.narrative == "42 judges trained."
    assert [e.filename for e in new.evidence] == ["minutes.pdf"]
    old_file = next(e for e in returned.evidence if e.stored_name)
    assert new.evidence[0].stored_name != old_file.stored_name  # a copy: history untouched
    # The returned update stays as it was.
    assert returned.review_state is ReviewState.RETURNED
    assert returned.narrative == "First attempt."
    assert returned.review_comment == "Give the number trained."
    assert len(returned.evidence) == 2
    assert "Give the number trained." not in focal.get("/updates/returned").get_data(as_text=True)

    # A second resubmission of the same returned update is refused.
    again = focal.get(resubmit_url)
    assert again.status_code == 302
    with pytest.raises(UpdateError):
        submit_update(
            world.a,
            world.focal_a,
            status=Status.IN_PROGRESS,
            percent=None,
            reported_on=date(2024, 3, 1),
            narrative="Again.",
            replaces=returned,
        )
    db.session.rollback()
    assert db.session.scalars(select(StatusUpdate)).all() == [returned, new]


def test_a_submitted_update_cannot_be_resubmitted(world, signed_in):
    update = submitted(world)
    focal = signed_in(world.focal_a)
    response = focal.get(f"/assignments/{world.a.id}/updates/new?replaces={update.id}")
    assert response.status_code == 302
    assert "not awaiting resubmission" in focal.get("/").get_data(as_text=True)
    assert focal.get(f"/assignments/{world.a.id}/updates/new?replaces=999999").status_code == 404


def test_evidence_of_a_validated_update_is_listed_in_the_queue_before_validation(world, signed_in):
    post_update(signed_in(world.focal_a), world.a.id, files=[("decree.pdf", PDF)])
    item = db.session.scalars(select(Evidence)).one()
    page = signed_in(world.secretariat).get("/validation").get_data(as_text=True)
    assert f'href="/evidence/{item.id}"' in page and "decree.pdf" in page
