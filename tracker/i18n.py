"""Language and time zone selection: the user's profile, else the session's switch, else the
browser's Accept-Language. Times are shown in Asia/Vientiane."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str | None:
    if not has_request_context():
        return None  # CLI commands and jobs pass the language explicitly
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
