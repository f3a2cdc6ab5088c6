"""`flask --app tracker users create --email … --role … [--body …]`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker.audit import acting_as
from tracker.extensions import db
from tracker.models import Role
from tracker.users.services import AccountError, create_user


@click.group("users")
def users_cli() -> None:
    """Manage accounts."""


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default="", help="Full name (default: the email).")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--body", "body_code", default=None, help="Body code, required for a focal point.")
@click.option("--language", default="en", type=click.Choice(["en", "lo"]))
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create(email, name, role, body_code, language, password) -> None:
    """Create an account."""
    try:
        with acting_as("cli: users create"):
            user = create_user(
                email=email,
                name=name,
                role=Role.from_value(role),
                body_code=body_code,
                password=password,
                language=language,
            )
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if user.body:
        click.echo(
            _(
                "Created %(email)s (%(role)s, %(body)s).",
                email=user.email,
                role=user.role.value,
                body=user.body.code,
            )
        )
    else:
        click.echo(_("Created %(email)s (%(role)s).", email=user.email, role=user.role.value))
