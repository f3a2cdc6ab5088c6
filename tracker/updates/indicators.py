"""Indicator values: entered for a period by a focal point of a body assigned to the indicator's
recommendation (or by the secretariat), reviewed like status updates. Only validated values
count as actuals. Functions flush; the caller commits."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, selectinload

from tracker.extensions import db
from tracker.models import Indicator, IndicatorValue, Recommendation, ReviewState, User
from tracker.policies import can_enter_indicator_value
from tracker.updates.services import UpdateError, claim_for_review, review_comment

# Numeric(18, 4): fourteen digits before the point.
_LARGEST = Decimal(10) ** 14


def validated_values(indicator: Indicator) -> list[IndicatorValue]:
    """The actuals: validated values, by period."""
    return [v for v in indicator.values if v.review_state is ReviewState.VALIDATED]


def submit_indicator_value(
    indicator: Indicator,
    author: User,
    *,
    period: str,
    value: Decimal,
    source_note: str,
    replaces: IndicatorValue | None = None,
) -> IndicatorValue:
    """A new value awaiting review. `replaces`: a returned value this one resubmits (it stays
    as it was). Raises UpdateError (with the field concerned) or PermissionError."""
    if not can_enter_indicator_value(author, indicator):
        raise PermissionError("this account may not enter values for this indicator")
    period = (period or "").strip()
    if not period or len(period) > 20:
        raise UpdateError(_l("Give the period in at most 20 characters, e.g. 2024."), "period")
    if value is None or not value.is_finite() or abs(value) >= _LARGEST:
        raise UpdateError(_l("Give the value as a number."), "value")
    if not (source_note or "").strip():
        raise UpdateError(_l("Say where the value comes from."), "source_note")
    if replaces is not None:
        db.session.refresh(replaces, with_for_update=True)
        if replaces.review_state is not ReviewState.RETURNED:
            raise UpdateError(_l("Only a returned value can be resubmitted."))
        if replaces.indicator_id != indicator.id:
            raise UpdateError(_l("The returned value belongs to another indicator."))
        if resubmission_of(replaces) is not None:
            raise UpdateError(_l("This returned value has already been resubmitted."))
    row = IndicatorValue(
        indicator=indicator,
        period=period,
        value=value,
        source_note=source_note.strip(),
        author=author,
        review_state=ReviewState.SUBMITTED,
        replaces_id=replaces.id if replaces else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def resubmission_of(value: IndicatorValue) -> IndicatorValue | None:
    return db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.replaces_id == value.id).limit(1)
    ).first()


def validate_indicator_value(value: IndicatorValue, reviewer: User, at: datetime) -> IndicatorValue:
    claim_for_review(value, reviewer)
    value.review_state = ReviewState.VALIDATED
    value.reviewer = reviewer
    value.reviewed_at = at
    db.session.flush()
    return value


def return_indicator_value(
    value: IndicatorValue, reviewer: User, comment: str, at: datetime
) -> IndicatorValue:
    comment = review_comment(comment)
    claim_for_review(value, reviewer)
    value.review_state = ReviewState.RETURNED
    value.reviewer = reviewer
    value.reviewed_at = at
    value.review_comment = comment
    db.session.flush()
    return value


def _with_context(query):
    return query.options(
        selectinload(IndicatorValue.indicator)
        .selectinload(Indicator.recommendation)
        .selectinload(Recommendation.assignments),
        selectinload(IndicatorValue.author),
    )


def pending_values() -> list[IndicatorValue]:
    """Submitted values awaiting review, oldest first."""
    return db.session.scalars(
        _with_context(select(IndicatorValue))
        .where(IndicatorValue.review_state == ReviewState.SUBMITTED)
        .order_by(IndicatorValue.created_at, IndicatorValue.id)
    ).all()


def returned_values_for(user: User) -> list[IndicatorValue]:
    """Returned values not yet resubmitted that this user may resubmit, latest return first."""
    later = aliased(IndicatorValue)
    rows = db.session.scalars(
        _with_context(select(IndicatorValue))
        .where(
            IndicatorValue.review_state == ReviewState.RETURNED,
            ~exists().where(later.replaces_id == IndicatorValue.id),
        )
        .order_by(IndicatorValue.reviewed_at.desc(), IndicatorValue.id.desc())
    ).all()
    return [v for v in rows if can_enter_indicator_value(user, v.indicator)]
