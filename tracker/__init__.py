"""tracker: follow up the recommendations Lao PDR has received until each is implemented."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from config import Config, DevelopmentConfig, engine_options


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config_class: type[Config] | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    config_class = config_class or DevelopmentConfig
    app.config.from_object(config_class)
    app.config.update(overrides)
    config_class.configure(app)
    app.config.update(overrides)  # explicit overrides win over the environment
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    # Ids in URLs fit the database's integer: a larger one is a 404, not a database error.
    app.url_map.converters["int"] = DatabaseIdConverter

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from tracker import audit  # noqa: F401  (registers the audit listener)
    from tracker.auth.loader import init_login
    from tracker.extensions import babel, csrf, db, migrate
    from tracker.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    init_login(app)


def register_blueprints(app: Flask) -> None:
    from tracker.admin.routes import bp as admin_bp
    from tracker.auth.routes import bp as auth_bp
    from tracker.dashboard.routes import bp as dashboard_bp
    from tracker.exchange.routes import bp as exchange_bp
    from tracker.register import editing  # noqa: F401  (adds the editing views to the blueprint)
    from tracker.register.routes import bp as register_bp
    from tracker.reminders import settings  # noqa: F401  (adds the rules page to the blueprint)
    from tracker.reminders.routes import bp as reminders_bp
    from tracker.reports.routes import bp as reports_bp
    from tracker.updates.routes import bp as updates_bp
    from tracker.workspace.routes import bp as workspace_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(register_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(exchange_bp)
    app.register_blueprint(updates_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(reports_bp)
    if app.config["PUBLIC_PAGE_ENABLED"]:  # optional, off by default: otherwise /public is a 404
        from tracker.public.setup import init_public

        init_public(app)


def register_cli(app: Flask) -> None:
    from tracker.exchange.cli import export_cli, import_cli
    from tracker.reminders.cli import reminders_cli
    from tracker.reminders.outbox_cli import outbox_cli
    from tracker.reminders.serve_cli import scheduler_command, serve_command
    from tracker.reports.cli import report_command
    from tracker.seeding.cli import seed_command
    from tracker.users.cli import users_cli

    for command in (
        seed_command,
        users_cli,
        export_cli,
        import_cli,
        serve_command,
        scheduler_command,
    ):
        app.cli.add_command(command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(report_command)


def register_errorhandlers(app: Flask) -> None:
    from tracker.errors import init_errors
    from tracker.security import init_security

    init_errors(app)
    init_security(app)


def register_template_helpers(app: Flask) -> None:
    from tracker.templating import init_templating

    init_templating(app)
