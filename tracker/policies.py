"""Who may do what: named predicates used by views, templates, CLI and tests alike."""

from __future__ import annotations

from tracker.models import Assignment, Evidence, Indicator, Recommendation, Role, User


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


# Who may create and change accounts of which role: admins manage every account; the
# secretariat manages focal points and viewers, never admins or its own colleagues.
MANAGEABLE_ROLES = {
    Role.ADMIN: frozenset(Role),
    Role.SECRETARIAT: frozenset({Role.FOCAL_POINT, Role.VIEWER}),
}


def can_manage_user(user: User | None, target_role: Role) -> bool:
    """Create, edit, (de)activate or reset the password of an account with this role, or give
    an account this role."""
    return _signed_in(user) and target_role in MANAGEABLE_ROLES.get(user.role, ())


def can_manage_users(user: User | None) -> bool:
    """See the accounts pages (some accounts at least are the user's to manage)."""
    return _signed_in(user) and user.role in MANAGEABLE_ROLES


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


def can_view_evidence(user: User | None, evidence: Evidence) -> bool:
    """Evidence is read by whoever may read the recommendation its update is about."""
    return can_view(user, evidence.update.recommendation)


def can_publish_evidence(user: User | None) -> bool:
    """Whether a file shows on the public page is the secretariat's call, as validation is."""
    return can_validate(user)


def can_enter_indicator_value(user: User | None, indicator: Indicator) -> bool:
    """The secretariat, or a focal point of a body assigned to the indicator's recommendation."""
    if can_validate(user):
        return True
    rec = indicator.recommendation
    return rec is not None and can_update_recommendation(user, rec)


def can_write_reports(user: User | None) -> bool:
    """Generate report files and edit report covers: the secretariat and admins. Everyone
    signed in reads previews and downloads the files kept in the reports history."""
    return _signed_in(user) and user.role in (Role.ADMIN, Role.SECRETARIAT)


POLICIES = {
    "can_view": can_view,
    "can_administer": can_administer,
    "can_manage_register": can_manage_register,
    "can_manage_user": can_manage_user,
    "can_manage_users": can_manage_users,
    "can_validate": can_validate,
    "can_update": can_update,
    "can_update_recommendation": can_update_recommendation,
    "can_view_evidence": can_view_evidence,
    "can_publish_evidence": can_publish_evidence,
    "can_enter_indicator_value": can_enter_indicator_value,
    "can_write_reports": can_write_reports,
}
