"""Language and time zone selection: the user's profile, else the session's switch, else the
browser's Accept-Language. Outside a request (CLI commands), the operator's environment:
TRACKER_LANGUAGE, else the usual locale variables. Times are shown in Asia/Vientiane."""

from __future__ import annotations

import os
import re

from flask import current_app, has_request_context, request, session
from flask_login import current_user
from wtforms import SelectChoice

# Form fields that hold one language's text say so, for fonts, spelling and screen readers.
ENGLISH = {"lang": "en"}
LAO = {"lang": "lo"}


def language_choices() -> list[SelectChoice]:
    """The languages a person can choose, each named in itself and marked with its language."""
    return [
        SelectChoice("en", "English", render_kw={"lang": "en"}),
        SelectChoice("lo", "ພາສາລາວ", render_kw={"lang": "lo"}),
    ]


def select_locale() -> str:
    if not has_request_context():
        # CLI commands speak the operator's language; what goes to someone else (reminders)
        # is rendered under force_locale with the recipient's own.
        return environment_locale()
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


# Where the operator's language is read, in this order; the locale variables as gettext reads
# them (LANGUAGE may list several languages: "lo:en").
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def environment_locale() -> str:
    """TRACKER_LANGUAGE if it names one of our languages; else the first locale variable that
    is set decides ("lo_LA.UTF-8" is Lao; "C.UTF-8" or another language: the default)."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = os.environ.get("TRACKER_LANGUAGE", "").strip().lower()
    if chosen in languages:
        return chosen
    for name in LANGUAGE_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            for entry in value.split(":"):
                language = re.split(r"[_.@-]", entry, maxsplit=1)[0].lower()
                if language in languages:
                    return language
            return default
    return default


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
