"""`flask --app tracker seed [--demo]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import ngettext

from tracker.audit import acting_as
from tracker.extensions import db
from tracker.seeding.loader import load_seeds
from tracker.seeding.reading import SeedError


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also add demo accounts and some status updates.")
@click.option(
    "--seed-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of seed files (default: seeds/).",
)
@with_appcontext
def seed_command(demo: bool, seed_dir: Path | None) -> None:
    """Load the seed data (idempotent: a second run changes nothing)."""
    seed_dir = seed_dir or Path(current_app.config["SEED_DIR"])
    try:
        with acting_as("cli: seed"):
            counts = load_seeds(seed_dir)
            logins = None
            if demo:
                from tracker.seeding.demo import add_demo

                logins = add_demo(Path(current_app.instance_path))
        db.session.commit()
    except SeedError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            ngettext(
                "%(num)d problem: nothing was loaded.",
                "%(num)d problems: nothing was loaded.",
                len(exc.problems),
            )
        ) from exc
    for kind in sorted({k.rsplit(" ", 1)[0] for k in counts}):
        parts = [
            _count(what, counts[f"{kind} {what}"])
            for what in ("created", "updated", "unchanged")
            if counts[f"{kind} {what}"]
        ]
        click.echo(f"{kind}: {', '.join(parts)}")  # kind: the seed record's key, e.g. body
    if logins:
        click.echo(logins)


def _count(what: str, n: int) -> str:
    if what == "created":
        return ngettext("%(num)d created", "%(num)d created", n)
    if what == "updated":
        return ngettext("%(num)d updated", "%(num)d updated", n)
    return ngettext("%(num)d unchanged", "%(num)d unchanged", n)
