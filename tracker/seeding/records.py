"""Bookkeeping shared by the seed loaders: the digest of what was last applied per entry."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import SeedRecord
from tracker.seeding.reading import LINE


def _digest(entry) -> str:
    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k != LINE}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    blob = json.dumps(clean(entry), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


class SeedBase:
    """What every seed loader shares: the problems found, the counts, the applied digests."""

    def __init__(self, seed_dir: Path):
        self.dir = Path(seed_dir)
        self.problems: list[str] = []
        self.counts: Counter[str] = Counter()
        self._records = {r.key: r for r in db.session.scalars(select(SeedRecord))}

    # -- bookkeeping ---------------------------------------------------------------------
    def _changed(self, key: str, entry) -> bool:
        """True when the entry is new or edited since last applied (and records it)."""
        digest = _digest(entry)
        record = self._records.get(key)
        if record is not None and record.digest == digest:
            self.counts[f"{key.split(':')[0]} unchanged"] += 1
            return False
        self.counts[f"{key.split(':')[0]} {'created' if record is None else 'updated'}"] += 1
        if record is None:
            record = SeedRecord(key=key, digest=digest)
            db.session.add(record)
            self._records[key] = record
        record.digest = digest
        return True

    @staticmethod
    def _one(model, code):
        """The row of a reference table with this code, or None."""
        if code is None:
            return None
        return db.session.scalars(select(model).where(model.code == code)).first()
