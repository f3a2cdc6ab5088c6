"""Load seeds/ into the database, idempotently. Entries are matched by code; an entry whose
content has not changed since it was last applied is left alone (so a second run changes
nothing, and edits made in the app to items whose seed entry is unchanged survive re-seeding);
updates reported in the documents are history and are added once, never rewritten."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tracker.extensions import db
from tracker.seeding.reading import SeedError
from tracker.seeding.reference import ReferenceLoader
from tracker.seeding.sources import SourceLoader


class SeedLoader(ReferenceLoader, SourceLoader):
    # -- all of it -------------------------------------------------------------------------
    def load_all(self) -> Counter[str]:
        self.load_groups()
        self.load_sdgs()
        self.load_bodies()
        self.load_holidays()
        db.session.flush()
        seen: dict[str, str] = {}
        for path in sorted((self.dir / "sources").glob("*.yaml")):
            self.load_source(path, seen)
        if self.problems:
            raise SeedError(self.problems)
        db.session.flush()
        return self.counts


def load_seeds(seed_dir: Path) -> Counter[str]:
    """Load everything in seed_dir; raise SeedError (nothing flushed is kept by the caller's
    rollback) when any entry is wrong."""
    return SeedLoader(seed_dir).load_all()
