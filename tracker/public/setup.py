"""Turning the public page on: its blueprint and its rate limit, for one app.

The limiter is made per app (Flask-Limiter keeps its storage on the Limiter object) and carries
one limit, shared by every public route and counted per client address: the rest of the app is
never limited by it. Storage: RATELIMIT_STORAGE_URI (memory:// by default, per process)."""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

from tracker.public.routes import bp


def init_public(app: Flask) -> None:
    rate = app.config["PUBLIC_RATE_LIMIT"]
    try:
        parse_many(rate)
    except ValueError:
        raise ValueError(
            f"PUBLIC_RATE_LIMIT={rate!r} is not a rate limit: write e.g. '60 per minute'"
        ) from None
    limiter = Limiter(get_remote_address, app=app, key_prefix="public")
    limiter.shared_limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], scope="public")(bp)
    app.extensions["public_limiter"] = limiter
    app.register_blueprint(bp)
