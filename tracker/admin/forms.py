"""Forms of the management pages: a body, a cluster, an account, a focal point to attach."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import Optional, ValidationError

from tracker.i18n import ENGLISH, LAO, language_choices
from tracker.models import Body, BodyKind, Role
from tracker.users.services import MIN_PASSWORD_LENGTH
from tracker.validators import NOT_A_CHOICE, max_length, required


def body_choice(body: Body) -> SelectChoice:
    label = f"{body.acronym} — {body.name}" if body.acronym else body.name
    return SelectChoice(body.code, label)


class BodyForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[required(), max_length(40)],
        description=_l("Used in spreadsheets and the seed data, e.g. MOHA. Fixed once in use."),
    )
    acronym = StringField(_l("Acronym"), validators=[Optional(), max_length(40)])
    name = StringField(
        _l("Name (English)"), validators=[required(), max_length(300)], render_kw=ENGLISH
    )
    name_lo = StringField(_l("Name (Lao)"), validators=[Optional(), max_length(300)], render_kw=LAO)
    kind = SelectField(_l("Kind"), choices=BodyKind.choices(), invalid_choice_message=NOT_A_CHOICE)
    # Choices are filled by the view; the service refuses an unknown body or a cycle.
    parent = SelectField(_l("Part of"), validate_choice=False)
    head_email = StringField(
        _l("Contact email of the head"), validators=[Optional(), max_length(254)]
    )
    submit = SubmitField(_l("Save"))


class ClusterForm(FlaskForm):
    title = StringField(
        _l("Title (English)"), validators=[required(), max_length(300)], render_kw=ENGLISH
    )
    title_lo = StringField(
        _l("Title (Lao)"), validators=[Optional(), max_length(300)], render_kw=LAO
    )
    # "" is the top level; the service refuses a parent of another source or a cycle.
    parent = SelectField(_l("Under"), validate_choice=False)
    submit = SubmitField(_l("Save"))


class AccountForm(FlaskForm):
    """What an account's manager may change. Role and body choices are filled by the view
    (the roles this manager may give, the bodies)."""

    name = StringField(_l("Full name"), validators=[required(), max_length(200)])
    role = SelectField(_l("Role"), invalid_choice_message=NOT_A_CHOICE)
    body = SelectField(_l("Body"), invalid_choice_message=NOT_A_CHOICE)
    language = SelectField(
        _l("Language"), choices=language_choices(), invalid_choice_message=NOT_A_CHOICE
    )
    submit = SubmitField(_l("Save"))

    def validate_body(self, field):
        if self.role.data == Role.FOCAL_POINT.value and not field.data:
            raise ValidationError(_l("A focal point needs a body."))


class NewAccountForm(AccountForm):
    email = EmailField(_l("Email"), validators=[required(), max_length(254)])
    password = PasswordField(
        _l("Initial password"),
        validators=[required(), max_length(200)],
        description=_l(
            "At least %(n)d characters, mixing letters with digits or symbols.",
            n=MIN_PASSWORD_LENGTH,
        ),
    )
    must_change_password = BooleanField(_l("Ask for a new password at first sign-in"), default=True)
    submit = SubmitField(_l("Create the account"))


class AttachFocalPointForm(FlaskForm):
    # Any id is accepted here: the service says why a user cannot be attached.
    user = SelectField(_l("Focal point"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Attach"))
