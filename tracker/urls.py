"""URL helpers shared by the blueprints."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "register.index", **values) -> str:
    """A same-site relative path to return to, never an open redirect."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for(default_endpoint, **values)
