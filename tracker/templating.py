"""Template globals and filters: policies, language labels, date formatting."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale

from tracker.policies import POLICIES


def localized(obj, field: str) -> str:
    """The Lao text of a field when the page is in Lao and a Lao text exists, else English."""
    if str(get_locale()) == "lo" and (lao := getattr(obj, f"{field}_lo", None)):
        return lao
    return getattr(obj, field) or ""


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one); keeps filters."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    from urllib.parse import urlencode

    query = urlencode(args, doseq=True)
    return request.path + (f"?{query}" if query else "")


def init_templating(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(POLICIES)
    app.jinja_env.globals.update(localized=localized, url_with=url_with, get_locale=get_locale)
    app.jinja_env.filters["date"] = lambda d, fmt="medium": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime"] = lambda d, fmt="medium": format_datetime(d, fmt) if d else ""
