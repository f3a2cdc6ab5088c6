"""What the dashboard template needs for one filter: the figures (kept until the data changes),
the charts' data and the links every number carries; and the rendered content itself."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from tracker.dashboard import charts, queries
from tracker.dashboard.cache import cached
from tracker.dashboard.indicators import IndicatorFigure, indicator_figures
from tracker.dashboard.trend import TRACKED, compute_trend
from tracker.extensions import db
from tracker.models import Cluster, Status
from tracker.register.choices import filter_options
from tracker.register.queries import RegisterFilter
from tracker.templating import number

STATES_CHARTED = 15  # the chart of recommending States shows the most frequent; the table all


class Links:
    """URLs for one dashboard filter. A page carries over a thousand register links: they are
    built from the register's path and urlencode (url_for costs 0.1 ms each, most of a page)."""

    def __init__(self, f: RegisterFilter):
        self.f = f
        self.filter_args = f.to_args()
        self.register_path = url_for("register.index")
        self._built: dict[tuple, str] = {}

    def register(self, args: dict | None = None, **more) -> str:
        """The register filtered to exactly the items a number counts: the dashboard's filter,
        the row's arguments and the cell's."""
        merged = self.filter_args | (args or {}) | more
        key = tuple(merged.items())
        if (link := self._built.get(key)) is None:  # tables and charts share their links
            query = urlencode(merged)
            link = self._built[key] = (
                f"{self.register_path}?{query}" if query else self.register_path
            )
        return link

    def dashboard(self, **changes) -> str:
        """The dashboard with its filter changed (None removes a filter)."""
        args = {k: v for k, v in (self.f.to_args() | changes).items() if v is not None}
        return url_for("dashboard.index", **args)

    def drill(self, row: queries.Row) -> str:
        return self.dashboard(cluster=row.drill)

    @staticmethod
    def indicator(fig: IndicatorFigure) -> str:
        if fig.indicator.recommendation is not None:
            return url_for("register.detail", code=fig.indicator.recommendation.code)
        return url_for("register.index", source=fig.indicator.source.code)


def row_label(row: queries.Row) -> str:
    title = row.label_lo if row.label_lo and str(get_locale()) == "lo" else row.label
    return f"{row.prefix} · {title}" if row.prefix else title


def page_context(f: RegisterFilter, today: date) -> dict:
    links = Links(f)
    figures = cached("figures", f, today, queries.compute_figures)
    trend = cached("trend", f, today, compute_trend)
    indicators = indicator_figures(f, today)
    data = {
        name: charts.status_bars(rows, row_label, links.register)
        for name, rows in figures.breakdowns.items()
    }
    states = figures.breakdowns["state"][:STATES_CHARTED]
    data["state"] = charts.status_bars(states, row_label, links.register)
    data["trend"] = charts.trend_lines(trend)
    data["indicators"] = charts.indicator_bars(indicators, links.indicator)
    cluster = db.session.get(Cluster, f.cluster) if f.cluster else None
    return {
        "f": f,
        "today": today,
        "headline": figures.headline,
        "breakdowns": figures.breakdowns,
        "trend": trend,
        "tracked": TRACKED,
        "figures": indicators,
        "charts": data,
        "options": filter_options(),
        "cluster_path": cluster.path if cluster else [],
        "register_link": links.register,
        "dashboard_link": links.dashboard,
        "drill_link": links.drill,
        "indicator_link": links.indicator,
        "row_label": row_label,
        "statuses": lambda: list(Status),
        "number": number,
    }


def page_body(f: RegisterFilter, today: date) -> Markup:
    """The page's content in the reader's language. It holds nothing personal (no form token,
    no name), so it is rendered once per filter, day, language and state of the data: a page
    carries well over a thousand links, and rendering them is most of a request's cost. The
    path the app is served under is part of the key: every link starts with it."""
    locale = str(get_locale())

    def render(f: RegisterFilter, today: date) -> Markup:
        return Markup(render_template("dashboard/_body.html", **page_context(f, today)))

    return cached(f"body:{locale}:{request.script_root}", f, today, render)
