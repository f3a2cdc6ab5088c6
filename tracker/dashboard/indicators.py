"""Indicators on the dashboard: the latest validated value of each against its target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import (
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Recommendation,
    ReviewState,
    Source,
)
from tracker.register.queries import RegisterFilter, register_query


@dataclass
class IndicatorFigure:
    indicator: Indicator
    latest: IndicatorValue | None  # the latest validated value (by period, then entry)

    @property
    def lower_is_better(self) -> bool:
        return self.indicator.direction is IndicatorDirection.DECREASE

    @property
    def percent(self) -> int | None:
        """The actual as a percentage of the target."""
        target = self.indicator.target_value
        if self.latest is None or not target:
            return None
        return round(100 * self.latest.value / target)

    @property
    def met(self) -> bool | None:
        target = self.indicator.target_value
        if self.latest is None or target is None:
            return None
        value: Decimal = self.latest.value
        return value <= target if self.lower_is_better else value >= target


def indicator_figures(f: RegisterFilter, today: date) -> list[IndicatorFigure]:
    """Indicators of the filtered sources; under a body, cluster or date filter, only those of
    the recommendations it selects."""
    query = select(Indicator).options(
        selectinload(Indicator.values),
        selectinload(Indicator.source),
        selectinload(Indicator.recommendation),
    )
    if f.source or f.cycle:
        query = query.join(Indicator.source)
        if f.source:
            query = query.where(Source.code == f.source)
        if f.cycle:
            query = query.where(Source.cycle == f.cycle)
    if f.body or f.cluster or f.due_from or f.due_to:
        ids = register_query(f, today).with_only_columns(Recommendation.id).order_by(None)
        query = query.where(Indicator.recommendation_id.in_(ids))
    figures = []
    for ind in db.session.scalars(query.order_by(Indicator.source_id, Indicator.code)):
        validated = [v for v in ind.values if v.review_state is ReviewState.VALIDATED]
        latest = max(validated, key=lambda v: (v.period, v.id), default=None)
        figures.append(IndicatorFigure(ind, latest))
    return figures
