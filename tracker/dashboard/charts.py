"""What the charts draw, as plain data for static/js/dashboard.js: the same numbers and links as
the tables beside them (the tables are the source of truth and work without JavaScript)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from tracker.dashboard.indicators import IndicatorFigure
from tracker.dashboard.queries import Row
from tracker.dashboard.trend import TRACKED, Trend
from tracker.models import Status

Link = Callable[..., str]


def status_bars(rows: list[Row], label: Callable[[Row], str], link: Link) -> dict:
    """Stacked bars, one per row, one segment per status; a segment opens its register list."""
    return {
        "kind": "status",
        "labels": [label(r) for r in rows],
        "datasets": [
            {
                "key": s.value,
                "label": str(s.label),
                "data": [r.counts.get(s, 0) for r in rows],
                "links": [link(r.args, status=s.value) for r in rows],
            }
            for s in Status
        ],
    }


def trend_lines(trend: Trend) -> dict:
    return {
        "kind": "trend",
        "labels": trend.months,
        "datasets": [
            {"key": s.value, "label": str(s.label), "data": trend.series[s], "links": []}
            for s in TRACKED
        ],
    }


def indicator_bars(figures: list[IndicatorFigure], link: Callable[[IndicatorFigure], str]) -> dict:
    shown = [fig for fig in figures if fig.percent is not None]
    return {
        "kind": "percent",
        "labels": [fig.indicator.name for fig in shown],
        "datasets": [
            {
                "key": "percent",
                "label": _("Actual as a percentage of target"),
                "data": [fig.percent for fig in shown],
                "met": [fig.met for fig in shown],
                "links": [link(fig) for fig in shown],
            }
        ],
    }
