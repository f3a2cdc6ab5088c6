"""Who may do what: named predicates used by views, templates, CLI and tests alike."""

from __future__ import annotations

from tracker.models import Assignment, Recommendation, Role, User


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can_view(user: User | None, recommendation: Recommendation | None = None) -> bool:
    """Every signed-in account reads the register (viewers are NSC members and partners)."""
    return _signed_in(user)


def can_administer(user: User | None) -> bool:
    return _signed_in(user) and user.role is Role.ADMIN


def can_manage_register(user: User | None) -> bool:
    """Register and edit recommendations, assign bodies, import spreadsheets."""
    return _signed_in(user) and user.role in (Role.ADMIN, Role.SECRETARIAT)


def can_validate(user: User | None) -> bool:
    return _signed_in(user) and user.role in (Role.ADMIN, Role.SECRETARIAT)


def can_update(user: User | None, assignment: Assignment) -> bool:
    """A focal point writes only to their own body's assignments; the secretariat to any."""
    if not _signed_in(user):
        return False
    if user.role in (Role.ADMIN, Role.SECRETARIAT):
        return True
    return (
        user.role is Role.FOCAL_POINT
        and user.body_id is not None
        and assignment.body_id == user.body_id
    )


def can_update_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    return any(can_update(user, a) for a in recommendation.assignments)


POLICIES = {
    "can_view": can_view,
    "can_administer": can_administer,
    "can_manage_register": can_manage_register,
    "can_validate": can_validate,
    "can_update": can_update,
    "can_update_recommendation": can_update_recommendation,
}
