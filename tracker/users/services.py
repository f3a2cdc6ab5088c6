"""Account rules shared by the CLI and the web."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Assignment, Body, Role, User, assignment_focal_point
from tracker.policies import can_manage_user

MIN_PASSWORD_LENGTH = 10
LANGUAGES = ("en", "lo")
# Temporary passwords are read aloud or copied by hand: no 0/O, 1/l/I look-alikes.
_TEMPORARY_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class AccountError(ValueError):
    """A clear reason why the account cannot be created or changed. `field` names the form
    field the reason belongs beside, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("the password must have at least %(n)d characters", n=MIN_PASSWORD_LENGTH),
            "password",
        )
    if password.isdigit() or password.isalpha():
        raise AccountError(_("the password must mix letters with digits or symbols"), "password")


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
        raise AccountError(_("%(email)r is not an email address", email=email), "email")
    if db.session.scalars(select(User).where(func.lower(User.email) == email)).first():
        raise AccountError(
            _("an account with email %(email)s already exists", email=email), "email"
        )
    body = None
    if body_code:
        body = db.session.scalars(select(Body).where(Body.code == body_code)).first()
        if body is None:
            raise AccountError(_("unknown body %(code)r", code=body_code), "body")
    if role is Role.FOCAL_POINT and body is None:
        raise AccountError(_("a focal point needs a body (--body CODE)"), "body")
    if language not in LANGUAGES:
        raise AccountError(_("the language must be en or lo"), "language")
    check_password_rules(password)
    user = User(email=email, name=name.strip() or email, role=role, body=body, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(
    user: User, *, actor: User, name: str, role: Role, body_code: str | None, language: str
) -> None:
    """Change an account's name, role, body and language. A focal point who leaves their body
    (or the role) stops being focal point of that body's assignments."""
    if not can_manage_user(actor, user.role):
        raise AccountError(_("you may not change this account"))
    if not can_manage_user(actor, role):
        raise AccountError(_("you may not give the role %(role)s", role=role.label), "role")
    if role is not user.role:
        if user.role is Role.ADMIN and user.active:
            _ensure_another_active_admin(user, "role")
        if user.id == actor.id:
            raise AccountError(_("you cannot change your own role"), "role")
    name = name.strip()
    if not name:
        raise AccountError(_("the name is required"), "name")
    body = _body(body_code)
    if role is Role.FOCAL_POINT and body is None:
        raise AccountError(_("a focal point needs a body"), "body")
    if language not in LANGUAGES:
        raise AccountError(_("the language must be en or lo"), "language")
    for key, value in (("name", name), ("role", role), ("body", body), ("language", language)):
        if getattr(user, key) != value:
            setattr(user, key, value)
    _leave_other_bodies_assignments(user)
    db.session.flush()


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (the account can no longer sign in) or reactivate an account. Nobody
    deactivates themselves, and there is always at least one active administrator."""
    if not can_manage_user(actor, user.role):
        raise AccountError(_("you may not change this account"))
    if user.active is active:
        return
    if not active:
        if user.role is Role.ADMIN:
            _ensure_another_active_admin(user)
        if user.id == actor.id:
            raise AccountError(_("you cannot deactivate your own account"))
    user.active = active
    db.session.flush()


def reset_password(user: User) -> str:
    """Give the account a new random password, to be changed at next sign-in; return it so it
    can be shown once. It is stored only as a hash."""
    password = generate_temporary_password()
    check_password_rules(password)
    user.set_password(password)
    user.must_change_password = True
    db.session.flush()
    return password


def generate_temporary_password(groups: int = 4, size: int = 4) -> str:
    """E.g. "k7Qm-x2Fp-9aZr-Hw3d": about 92 bits, and the dashes always satisfy the rules."""
    return "-".join(
        "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(size)) for _ in range(groups)
    )


def _body(code: str | None) -> Body | None:
    if not code:
        return None
    body = db.session.scalars(select(Body).where(Body.code == code)).first()
    if body is None:
        raise AccountError(_("unknown body %(code)r", code=code), "body")
    return body


def _ensure_another_active_admin(user: User, field: str | None = None) -> None:
    # Lock every active admin row (in id order, so two admins demoting each other at the same
    # time wait for one another instead of both succeeding) before counting them.
    admins = db.session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id)
        .with_for_update()
    ).all()
    if not set(admins) - {user.id}:
        raise AccountError(
            _(
                "the account %(email)s is the last active administrator: make another one first",
                email=user.email,
            ),
            field,
        )


def _leave_other_bodies_assignments(user: User) -> None:
    held = db.session.scalars(
        select(Assignment)
        .join(assignment_focal_point, assignment_focal_point.c.assignment_id == Assignment.id)
        .where(assignment_focal_point.c.user_id == user.id)
    ).all()
    for assignment in held:
        # user.body_id is stale until the flush: compare with the body object's id.
        if user.role is not Role.FOCAL_POINT or assignment.body_id != getattr(
            user.body, "id", None
        ):
            assignment.focal_points.remove(user)
