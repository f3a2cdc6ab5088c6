"""The one place that reads the clock: views and CLI commands ask here and pass the date down."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_today() -> date:
    """Today in the tracker's time zone (Asia/Vientiane by default)."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
