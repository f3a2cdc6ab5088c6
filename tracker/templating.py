"""Template globals and filters: policies, language labels, date formatting."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel.numbers import format_decimal, format_percent
from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from tracker.policies import POLICIES


@dataclass(frozen=True)
class Shown:
    """A bilingual field in the page's language, or in the other one when the page's is missing
    (`fallback`), with the language it is written in (for the lang attribute)."""

    text: str
    lang: str
    fallback: bool


def in_language(obj, field: str) -> Shown:
    english, lao = getattr(obj, field, None) or "", getattr(obj, f"{field}_lo", None) or ""
    if str(get_locale()) == "lo":
        return Shown(lao, "lo", False) if lao else Shown(english, "en", bool(english))
    return Shown(english, "en", False) if english else Shown(lao, "lo", bool(lao))


def localized(obj, field: str) -> str:
    """The text of a bilingual field in the page's language, else in the other. Plain text, for
    places that cannot hold markup (options, attributes); in page text use `localized_html`,
    which marks a fallback."""
    return in_language(obj, field).text


def localized_html(obj, field: str, length: int | None = None) -> Markup:
    """A bilingual field in the page's language; when only the other language has a text, that
    text, marked with its language (for fonts and screen readers) and a visible note."""
    shown = in_language(obj, field)
    text = shown.text
    if length and text:
        text = do_truncate(current_app.jinja_env, text, length)
    if not shown.fallback:
        return escape(text)
    note = _("in English") if shown.lang == "en" else _("in Lao")
    marked = '<span lang="%s" class="fallback">%s</span> <small class="lang-tag">%s</small>'
    return Markup(marked) % (shown.lang, text, note)


@lru_cache(maxsize=4096)
def _number(value, locale: str) -> str:
    return format_decimal(value, locale=locale)


def number(value) -> str:
    """A number in the reader's language (CLDR: 12,345.6 in English, 12.345,6 in Lao); the same
    few numbers recur hundreds of times on a page, hence the cache."""
    return _number(value, str(get_locale()))


def percent(value) -> str:
    """A whole percentage (0-100, as stored) in the reader's language: "45%"."""
    if value is None:
        return ""
    return format_percent(value / 100, locale=str(get_locale()))


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
    app.jinja_env.globals.update(
        in_language=in_language,
        localized=localized,
        localized_html=localized_html,
        url_with=url_with,
        get_locale=get_locale,
        number=number,
    )
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["date"] = lambda d, fmt="medium": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime"] = lambda d, fmt="medium": format_datetime(d, fmt) if d else ""
