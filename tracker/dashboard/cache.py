"""The dashboard's figures, kept per filter and day until the data changes.

Counting 100,000 items takes a second on SQLite, while the committee mostly reads (the serving
process warms the unfiltered page after a change: tracker/dashboard/warmup.py). The key includes
the newest audit event (id and time): every insert, update and delete of a recommendation,
assignment, update, indicator value, cluster or body writes one in the same transaction
(tracker/audit.py), so any change that can move a number changes the key, and the next request
recomputes. Changes made outside the application (raw SQL) are not seen until the next audited
change or the next day."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from flask import current_app
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEvent
from tracker.register.queries import RegisterFilter

T = TypeVar("T")
CACHE_SIZE = 64  # rendered pages included: a few hundred kB each at 100,000 items
_lock = threading.Lock()  # the cache is shared by the threads of one process


def history_stamp() -> tuple:
    """The newest audit event, read by primary key: changes whenever audited data changes."""
    latest = db.session.execute(
        select(AuditEvent.id, AuditEvent.at).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return tuple(latest) if latest else ()


def cached(name: str, f: RegisterFilter, today: date, compute: Callable[..., T]) -> T:
    key = (name, tuple(sorted(f.to_args().items())), today)
    return remember(key, lambda: compute(f, today))


def remember(
    key: tuple, compute: Callable[[], T], store: str = "dashboard_cache", size: int = CACHE_SIZE
) -> T:
    """compute() kept under key until audited data changes; the least recently used of `size`
    entries is dropped first. `store` keeps other pages' entries from evicting the dashboard's."""
    cache: OrderedDict = current_app.extensions.setdefault(store, OrderedDict())
    key = (*key, history_stamp())
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = compute()
    with _lock:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)
    return value
