"""`flask --app tracker export|import recommendations`: the exchange format on the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.audit import acting_as
from tracker.exchange.export import FORMATS, export_recommendations
from tracker.exchange.importer import ImportError_, import_recommendations
from tracker.extensions import db


@click.group("export")
def export_cli() -> None:
    """Export data."""


@export_cli.command("recommendations")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@with_appcontext
def export_recommendations_command(fmt: str, output: Path | None) -> None:
    """Write every recommendation in the exchange format."""
    data = export_recommendations(fmt)
    if output is None:
        click.get_binary_stream("stdout").write(data)
    else:
        output.write_bytes(data)
        click.echo(_("Wrote %(file)s.", file=output), err=True)


@click.group("import")
def import_cli() -> None:
    """Import data."""


@import_cli.command("recommendations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@with_appcontext
def import_recommendations_command(file: Path, dry_run: bool) -> None:
    """Create or update recommendations by code from a CSV or XLSX file (all or nothing)."""
    try:
        with acting_as(f"cli: import {file.name}"):
            result = import_recommendations(
                file.name,
                file.read_bytes(),
                on=date.today(),
                label=_("import of %(file)s", file=file.name),
            )
    except ImportError_ as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            ngettext(
                "%(num)d problem: nothing was imported.",
                "%(num)d problems: nothing was imported.",
                len(exc.problems),
            )
        ) from exc
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    counts = {
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": len(result.unchanged),
    }
    if dry_run:
        message = _(
            "%(created)d would be created, %(updated)d would be updated, %(unchanged)d unchanged.",
            **counts,
        )
    else:
        message = _(
            "%(created)d were created, %(updated)d were updated, %(unchanged)d unchanged.", **counts
        )
    click.echo(message)
