"""The choices of the filter fields (templates/_macros/filters.html) as plain (value,
label) pairs in the page's language.

The register and the dashboard list every source, body and cluster on every request (hundreds
of options at the synthetic sizes); labelling them was a good part of the register's rendering
time. `filter_options` keeps the pairs per language until audited data changes (bodies,
clusters and sources are audited, tracker/dashboard/cache.py), so a new body shows in the
filter at once. Pages that pass their own lists of objects (the public page) get the same
labels through `filter_choices`."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import get_locale
from jinja2.filters import do_truncate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.dashboard.cache import remember
from tracker.extensions import db
from tracker.models import Body, Cluster, Country, Position, SdgGoal, Source, Status
from tracker.templating import localized

Choices = list[tuple[object, str]]
STORE, STORE_SIZE = "register_cache", 512  # the register's kept values (tracker/dashboard/cache.py)


def _truncate(text: str, length: int) -> str:
    return do_truncate(current_app.jinja_env, text, length)


def source_choices(sources: Iterable[Source]) -> Choices:
    return [(s.code, s.code) for s in sources]


def body_choices(bodies: Iterable[Body]) -> Choices:
    return [(b.code, f"{b.label} — {_truncate(localized(b, 'name'), 50)}") for b in bodies]


def cluster_choices(clusters: Iterable[Cluster]) -> Choices:
    """Labelled with their source and one dash per level below the top: "UPR-3: — Health"."""
    return [
        (c.id, f"{c.source.code}: {'— ' * (len(c.path) - 1)}{_truncate(localized(c, 'title'), 60)}")
        for c in clusters
    ]


def goal_choices(goals: Iterable[SdgGoal]) -> Choices:
    return [(g.number, f"{g.number} {localized(g, 'title')}") for g in goals]


CHOICES = {
    "sources": source_choices,
    "bodies": body_choices,
    "clusters": cluster_choices,
    "goals": goal_choices,
}


def filter_choices(options: dict, name: str) -> Choices:
    """The (value, label) pairs of one filter field: kept ones when `options` holds them,
    else made from the objects `options[name]` lists."""
    ready = options.get("choices")
    return ready[name] if ready is not None else CHOICES[name](options[name])


def _plain_options() -> dict:
    clusters = db.session.scalars(
        select(Cluster).options(selectinload(Cluster.parent), selectinload(Cluster.source))
    ).all()
    clusters = sorted(clusters, key=lambda c: (c.source.code, [x.sort_order for x in c.path]))
    return {
        "choices": {
            "sources": source_choices(db.session.scalars(select(Source).order_by(Source.code))),
            "bodies": body_choices(db.session.scalars(select(Body).order_by(Body.code))),
            "clusters": cluster_choices(clusters),
            "goals": goal_choices(db.session.scalars(select(SdgGoal).order_by(SdgGoal.number))),
        },
        "cycles": sorted(c for c in db.session.scalars(select(Source.cycle).distinct()) if c),
        "states": db.session.scalars(select(Country.name).order_by(Country.name)).all(),
    }


def filter_options() -> dict:
    """Everything the register's and the dashboard's filter fields offer, in the page's
    language; the database is read again only after an audited change."""
    kept = remember(
        ("filter-options", str(get_locale())), _plain_options, store=STORE, size=STORE_SIZE
    )
    return {**kept, "statuses": list(Status), "positions": list(Position)}
