"""Error pages (400, 403, 404, 500). The 500 handler rolls the session back."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from tracker.extensions import db


def init_errors(app: Flask) -> None:
    def render(code: int):
        return render_template(f"errors/{code}.html"), code

    @app.errorhandler(400)
    def bad_request(error):
        return render(400)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render(400)

    @app.errorhandler(403)
    def forbidden(error):
        return render(403)

    @app.errorhandler(404)
    def not_found(error):
        return render(404)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render(500)
