"""`flask --app tracker report midterm|swg|actionplan --source CODE ...`: a report file from the
command line, recorded in the reports history like one generated in the browser."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from tracker.audit import acting_as
from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import Source
from tracker.models.base import utcnow
from tracker.reports import services
from tracker.reports.builders import WrongSource
from tracker.reports.data import FORMATS, KINDS
from tracker.templating import number


@click.command("report")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--source", "source_code", required=True, help="Source code, e.g. UPR-3.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count only updates validated on or before this day (default: today).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File."
)
@click.option("--include-pending", is_flag=True, help="List updates awaiting validation apart.")
@click.option(
    "--language",
    type=click.Choice(["en", "lo"]),
    default=None,
    help="Language of the headings and labels (default: the operator's: TRACKER_LANGUAGE, LANG).",
)
@with_appcontext
def report_command(
    kind: str,
    source_code: str,
    as_of: datetime | None,
    fmt: str,
    output: Path,
    include_pending: bool,
    language: str | None,
) -> None:
    """Generate a follow-up report and keep it in the reports history."""
    with force_locale(language) if language else nullcontext():
        _report(kind, source_code, as_of, fmt, output, include_pending)


def _report(kind, source_code, as_of, fmt, output, include_pending) -> None:
    source = db.session.scalar(select(Source).where(Source.code == source_code))
    if source is None:
        raise click.ClickException(
            "--source: " + _("no source has the code %(code)r.", code=source_code)
        )
    label = f"cli: report {kind}"
    try:
        with acting_as(label):
            row, data = services.generate(
                kind,
                source,
                fmt,
                as_of=as_of.date() if as_of else local_today(),
                now=utcnow(),
                # The operator at the console reads the whole database anyway.
                may_see=lambda evidence: True,
                include_pending=include_pending,
                author_label=label,
            )
        output.write_bytes(data)
    except WrongSource as exc:
        db.session.rollback()
        raise click.ClickException(f"--source: {exc}") from exc
    except OSError as exc:
        services.path_of(row).unlink(missing_ok=True)  # nothing half-written: no history row
        db.session.rollback()
        raise click.ClickException(
            "--output: " + _("cannot write %(file)s: %(error)s", file=output, error=exc.strerror)
        ) from exc
    db.session.commit()
    click.echo(
        _(
            "Wrote %(file)s (%(size)s bytes): %(kind)s report of %(source)s as of %(date)s; "
            "kept in the reports history as #%(id)d.",
            file=output,
            size=number(row.size),
            kind=kind,
            source=source.code,
            date=row.as_of.isoformat(),
            id=row.id,
        ),
        err=True,
    )
