"""Login throttling: too many failed sign-ins for one account, or from one address, within a
window make further attempts wait. Failures are rows in the database, so every worker process
sees the same count."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from tracker.extensions import db
from tracker.models import LoginAttempt

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


def blocked_for(email: str, remote_addr: str | None, now: datetime) -> timedelta | None:
    """How long this account or address must still wait, or None when it may try."""
    since = now - WINDOW
    for column, value, limit in (
        (LoginAttempt.email, email, MAX_PER_ACCOUNT),
        (LoginAttempt.remote_addr, remote_addr, MAX_PER_ADDRESS),
    ):
        if value is None:
            continue
        count, oldest = db.session.execute(
            select(func.count(), func.min(LoginAttempt.at)).where(
                column == value, LoginAttempt.at > since
            )
        ).one()
        if count >= limit:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
            return oldest + WINDOW - now
    return None


def record_failure(email: str, remote_addr: str | None, now: datetime) -> None:
    db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, at=now))
    # Old rows are of no use: keep the table small.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - 4 * WINDOW))


def clear_failures(email: str) -> None:
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
