"""Status updates are appended, never overwritten; a recommendation's status is its latest
validated update (by date of the action, then by entry order), cached on the recommendation in
the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, selectinload

from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import (
    Assignment,
    Evidence,
    Recommendation,
    ReviewState,
    Status,
    StatusUpdate,
    User,
)
from tracker.models.base import utcnow
from tracker.policies import can_update, can_update_recommendation, can_validate
from tracker.register.services import set_if_changed
from tracker.updates import evidence as files_store
from tracker.updates.evidence import EvidenceRejected, Upload, inspect_upload


def latest_validated(rec: Recommendation, as_of: date | None = None) -> StatusUpdate | None:
    query = select(StatusUpdate).where(
        StatusUpdate.recommendation_id == rec.id,
        StatusUpdate.review_state == ReviewState.VALIDATED,
    )
    if as_of is not None:
        query = query.where(StatusUpdate.reported_on <= as_of)
    query = query.order_by(StatusUpdate.reported_on.desc(), StatusUpdate.id.desc()).limit(1)
    return db.session.scalars(query).first()


def refresh_status(rec: Recommendation) -> None:
    db.session.flush()
    latest = latest_validated(rec)
    set_if_changed(
        rec,
        status=latest.status if latest else Status.NOT_STARTED,
        status_percent=latest.percent if latest else None,
        status_date=latest.reported_on if latest else None,
    )


def add_update(
    rec: Recommendation,
    *,
    status: Status,
    reported_on: date,
    narrative: str = "",
    percent: int | None = None,
    author: User | None = None,
    author_label: str | None = None,
    assignment=None,
    source_note: str | None = None,
    validated_by: User | None = None,
    validated_at: datetime | None = None,
    replaces: StatusUpdate | None = None,
) -> StatusUpdate:
    """Append an update. Updates entered by the secretariat itself, or loaded from a source
    document, may be recorded as already validated."""
    update = StatusUpdate(
        recommendation=rec,
        assignment=assignment,
        status=status,
        reported_on=reported_on,
        narrative=narrative,
        percent=percent,
        author=author,
        author_label=author_label or (author.email if author else None),
        source_note=source_note,
        replaces=replaces,
    )
    db.session.add(update)
    if validated_by is not None or validated_at is not None:
        update.review_state = ReviewState.VALIDATED
        update.reviewer = validated_by
        update.reviewed_at = validated_at or utcnow()
        refresh_status(rec)
    else:
        db.session.flush()
    return update


# -- submitting -----------------------------------------------------------------------------


class UpdateError(ValueError):
    """A submission or review rule was broken. The message is for the user; `field` names the
    form field it belongs beside (None: the form as a whole)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)  # a lazy string: raised anywhere, translated when shown
        self.field = field

    @property
    def message(self) -> str:
        return str(self.args[0])


class ReviewConflict(Exception):
    """The item is no longer awaiting review: someone else validated or returned it meanwhile."""

    def __init__(self, item):
        super().__init__(f"{item!r} is {item.review_state.value}")
        self.item = item


def check_link(url: str) -> str:
    """A web address given as evidence: http or https with a host, nothing else (no
    javascript:, data:, file: ...)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or len(url) > 2000
        or any(ch.isspace() or ord(ch) < 32 for ch in url)
    ):
        raise UpdateError(
            _l(
                "“%(url)s” is not a web address: links must start with http:// or https://.",
                url=url[:120],
            ),
            "links",
        )
    return url


def resubmission_of(update: StatusUpdate) -> StatusUpdate | None:
    """The update that replaced a returned one, if it was resubmitted."""
    return db.session.scalars(
        select(StatusUpdate).where(StatusUpdate.replaces_id == update.id).limit(1)
    ).first()


def awaiting_resubmission(item) -> bool:
    """A returned update or indicator value not yet replaced by a resubmission."""
    model = type(item)
    replaced = db.session.scalar(select(exists().where(model.replaces_id == item.id)))
    return item.review_state is ReviewState.RETURNED and not replaced


def _check_replaceable(replaces: StatusUpdate, assignment: Assignment) -> None:
    # Lock the returned row so that two resubmissions of it cannot both pass the check.
    db.session.refresh(replaces, with_for_update=True)
    if replaces.review_state is not ReviewState.RETURNED:
        raise UpdateError(_l("Only a returned update can be resubmitted."))
    if replaces.recommendation_id != assignment.recommendation_id or replaces.assignment_id not in (
        None,
        assignment.id,
    ):
        raise UpdateError(_l("The returned update belongs to another assignment."))
    if resubmission_of(replaces) is not None:
        raise UpdateError(_l("This returned update has already been resubmitted."))


def _checked_uploads(files: Iterable) -> list[Upload]:
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    uploads = []
    for item in files:
        if isinstance(item, Upload):
            uploads.append(item)
        elif getattr(item, "filename", None):  # a FileStorage; an empty file input is skipped
            try:
                uploads.append(inspect_upload(item, limit))
            except EvidenceRejected as refused:
                raise UpdateError(str(refused), "files") from None
    return uploads


def submit_update(
    assignment: Assignment,
    author: User,
    *,
    status: Status,
    percent: int | None,
    reported_on: date,
    narrative: str,
    files: Iterable = (),
    links: Iterable[str] = (),
    replaces: StatusUpdate | None = None,
    keep: Iterable[Evidence] = (),
    today: date | None = None,
) -> StatusUpdate:
    """Record what `author` reports on `assignment` as a new update awaiting the secretariat's
    review (review_state submitted); the recommendation's status does not move until it is
    validated.

    - `files`: `evidence.Upload` objects (what `UpdateForm` checked) or werkzeug FileStorage
      objects (checked here, by content and size); empty file inputs are ignored.
    - `links`: http(s) addresses.
    - `replaces`: a returned update this one resubmits; it stays untouched and the new row
      points at it. `keep`: evidence of `replaces` to carry over (files are copied).
    - `today`: the date the action may not be after (default: today in Asia/Vientiane).

    Raises UpdateError (with the form field concerned) when a rule is broken, PermissionError
    if the author may not update the assignment. Flushes; the caller commits. Typical use from
    a view: `submit_update(assignment, current_user, **form.submission(), replaces=returned)`.
    """
    if not can_update(author, assignment):
        raise PermissionError("this account may not update this assignment")
    if reported_on > (today or local_today()):
        raise UpdateError(_l("The date of the action cannot be in the future."), "reported_on")
    if percent is not None and not 0 <= percent <= 100:
        raise UpdateError(_l("The percentage must be between 0 and 100."), "percent")
    if not (narrative or "").strip():
        raise UpdateError(_l("Describe what was done."), "narrative")
    links = [check_link(link) for link in links if link.strip()]
    uploads = _checked_uploads(files)
    keep = list(keep)
    if replaces is not None:
        _check_replaceable(replaces, assignment)
    if any(item.update_id != getattr(replaces, "id", None) for item in keep):
        raise UpdateError(_l("Only the returned update's evidence can be kept."))

    update = add_update(
        assignment.recommendation,
        assignment=assignment,
        author=author,
        status=status,
        percent=percent,
        reported_on=reported_on,
        narrative=narrative.strip(),
        replaces=replaces,
    )
    written: list[str] = []
    try:
        for upload in uploads:
            written.append(files_store.store(upload.stream))
            update.evidence.append(_file_evidence(author, written[-1], upload))
        for item in keep:
            if item.stored_name:
                written.append(files_store.copy_stored(item.stored_name))
                update.evidence.append(_file_evidence(author, written[-1], item))
            else:
                update.evidence.append(Evidence(url=item.url, uploaded_by_id=author.id))
        for link in links:
            update.evidence.append(Evidence(url=link, uploaded_by_id=author.id))
        db.session.flush()
    except Exception:
        files_store.discard(written)  # no file without its row
        raise
    return update


def _file_evidence(author: User, stored_name: str, source) -> Evidence:
    return Evidence(
        filename=source.filename,
        stored_name=stored_name,
        content_type=source.content_type,
        size=source.size,
        uploaded_by_id=author.id,
    )


# -- reviewing ------------------------------------------------------------------------------


def claim_for_review(item, reviewer: User) -> None:
    """Lock a submitted update or indicator value for review, or raise ReviewConflict if it is
    no longer submitted (re-read from the database: another reviewer may have just acted)."""
    if not can_validate(reviewer):
        raise PermissionError("this account may not review")
    db.session.refresh(item, with_for_update=True)
    if item.review_state is not ReviewState.SUBMITTED:
        raise ReviewConflict(item)


def review_comment(comment: str | None) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise UpdateError(_l("Say why it is returned: the comment is required."), "comment")
    return comment


def validate_update(update: StatusUpdate, reviewer: User, at: datetime) -> StatusUpdate:
    """The secretariat accepts a submitted update; the recommendation's status follows it."""
    claim_for_review(update, reviewer)
    update.review_state = ReviewState.VALIDATED
    update.reviewer = reviewer
    update.reviewed_at = at
    refresh_status(update.recommendation)
    return update


def return_update(update: StatusUpdate, reviewer: User, comment: str, at: datetime) -> StatusUpdate:
    """The secretariat sends a submitted update back with a (required) comment; the author
    resubmits it as a new update."""
    comment = review_comment(comment)
    claim_for_review(update, reviewer)
    update.review_state = ReviewState.RETURNED
    update.reviewer = reviewer
    update.reviewed_at = at
    update.review_comment = comment
    db.session.flush()
    return update


def pending_updates() -> list[StatusUpdate]:
    """Submitted updates awaiting review, oldest first."""
    return db.session.scalars(
        select(StatusUpdate)
        .where(StatusUpdate.review_state == ReviewState.SUBMITTED)
        .options(
            selectinload(StatusUpdate.recommendation),
            selectinload(StatusUpdate.assignment).selectinload(Assignment.body),
            selectinload(StatusUpdate.author),
            selectinload(StatusUpdate.evidence),
        )
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
    ).all()


def returned_updates_for(user: User) -> list[StatusUpdate]:
    """Returned updates not yet resubmitted that this user may resubmit, latest return first."""
    later = aliased(StatusUpdate)
    rows = db.session.scalars(
        select(StatusUpdate)
        .where(
            StatusUpdate.review_state == ReviewState.RETURNED,
            ~exists().where(later.replaces_id == StatusUpdate.id),
        )
        .options(
            selectinload(StatusUpdate.recommendation).selectinload(Recommendation.assignments),
            selectinload(StatusUpdate.assignment).selectinload(Assignment.body),
            selectinload(StatusUpdate.evidence),
        )
        .order_by(StatusUpdate.reviewed_at.desc(), StatusUpdate.id.desc())
    ).all()
    return [u for u in rows if resubmission_assignment(u, user) is not None]


def resubmission_assignment(update: StatusUpdate, user: User) -> Assignment | None:
    """The assignment a returned update is resubmitted on by this user: its own, or for an
    update recorded without one, the first of the recommendation's this user may update."""
    if update.assignment is not None:
        return update.assignment if can_update(user, update.assignment) else None
    if not can_update_recommendation(user, update.recommendation):
        return None
    return next(a for a in update.recommendation.assignments if can_update(user, a))
