"""Account rules shared by the CLI and the web."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Body, Role, User

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A clear reason why the account cannot be created or changed."""


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if password.isdigit() or password.isalpha():
        raise AccountError("the password must mix letters with digits or symbols")


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    body_code: str | None = None,
    language: str = "en",
) -> User:
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError(f"{email!r} is not an email address")
    if db.session.scalars(select(User).where(func.lower(User.email) == email)).first():
        raise AccountError(f"an account with email {email} already exists")
    body = None
    if body_code:
        body = db.session.scalars(select(Body).where(Body.code == body_code)).first()
        if body is None:
            raise AccountError(f"unknown body {body_code!r}")
    if role is Role.FOCAL_POINT and body is None:
        raise AccountError("a focal point needs a body (--body CODE)")
    if language not in ("en", "lo"):
        raise AccountError("the language must be en or lo")
    check_password_rules(password)
    user = User(email=email, name=name.strip() or email, role=role, body=body, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
