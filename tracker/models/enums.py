"""Enumerations shared by models, forms, import/export and reports. Stored by name; the CSV and
seed files use the lower-case value."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class LabelledEnum(enum.Enum):
    """An enum whose members carry a translatable label; `value` is the exchange spelling."""

    def __new__(cls, value: str, label):
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def from_value(cls, text: str):
        text = (text or "").strip().lower().replace(" ", "_").replace("-", "_")
        for member in cls:
            if member.value == text:
                return member
        raise ValueError(text)

    @classmethod
    def choices(cls) -> list:
        """Options for a WTForms select field."""
        from wtforms import SelectChoice

        return [SelectChoice(m.value, m.label) for m in cls]


class SourceKind(LabelledEnum):
    UPR = ("upr", _l("UPR"))
    RTIM = ("rtim", _l("RTIM"))
    WORKSHOP = ("workshop", _l("Workshop"))
    OTHER = ("other", _l("Other"))


class Position(LabelledEnum):
    SUPPORTED = ("supported", _l("Supported"))
    NOTED = ("noted", _l("Noted"))
    NOT_APPLICABLE = ("not_applicable", _l("Not applicable"))


class Status(LabelledEnum):
    NOT_STARTED = ("not_started", _l("Not started"))
    IN_PROGRESS = ("in_progress", _l("In progress"))
    PARTIALLY_IMPLEMENTED = ("partially_implemented", _l("Partially implemented"))
    IMPLEMENTED = ("implemented", _l("Implemented"))
    NO_LONGER_RELEVANT = ("no_longer_relevant", _l("No longer relevant"))


class ReviewState(LabelledEnum):
    SUBMITTED = ("submitted", _l("Submitted"))
    VALIDATED = ("validated", _l("Validated"))
    RETURNED = ("returned", _l("Returned"))


class Role(LabelledEnum):
    ADMIN = ("admin", _l("Administrator"))
    SECRETARIAT = ("secretariat", _l("Secretariat"))
    FOCAL_POINT = ("focal_point", _l("Focal point"))
    VIEWER = ("viewer", _l("Viewer"))


class AssignmentRole(LabelledEnum):
    LEAD = ("lead", _l("Lead"))
    SUPPORTING = ("supporting", _l("Supporting"))


class DeadlinePrecision(LabelledEnum):
    DAY = ("day", _l("Day"))
    MONTH = ("month", _l("Month"))
    QUARTER = ("quarter", _l("Quarter"))
    YEAR = ("year", _l("Year"))
    RECURRING = ("recurring", _l("Recurring"))
    UNKNOWN = ("unknown", _l("Unknown"))


class BodyKind(LabelledEnum):
    MINISTRY = ("ministry", _l("Ministry"))
    DEPARTMENT = ("department", _l("Department"))
    COMMITTEE = ("committee", _l("Committee"))
    AGENCY = ("agency", _l("Agency"))
    ASSEMBLY = ("assembly", _l("Assembly"))
    PROVINCE = ("province", _l("Province"))
    PARTNER = ("partner", _l("Development partner"))
    CIVIL_SOCIETY = ("civil_society", _l("Civil society"))
    PARTY = ("party", _l("Party organ"))
    OTHER = ("other", _l("Other"))


class IndicatorDirection(LabelledEnum):
    INCREASE = ("increase", _l("Higher is better"))
    DECREASE = ("decrease", _l("Lower is better"))
