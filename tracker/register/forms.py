"""Forms of the register: a recommendation, an assignment, a bulk assignment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional, Regexp, ValidationError

from tracker.i18n import ENGLISH, LAO
from tracker.models import AssignmentRole, DeadlinePrecision, Position
from tracker.validators import (
    NOT_A_CHOICE,
    NOT_A_DATE,
    NOT_A_WHOLE_NUMBER,
    max_length,
    required,
)

CODE_RULE = Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    message=_l("Use letters, digits, dots, dashes and underscores only."),
)


class RecommendationForm(FlaskForm):
    code = StringField(_l("Code"), validators=[required(), max_length(40), CODE_RULE])
    source = SelectField(_l("Source"), validators=[required()], invalid_choice_message=NOT_A_CHOICE)
    cluster = SelectField(
        _l("Cluster"), coerce=int, validate_choice=False, invalid_value_message=NOT_A_CHOICE
    )
    text = TextAreaField(
        _l("Text (English)"), validators=[required(), max_length(20000)], render_kw=ENGLISH
    )
    text_lo = TextAreaField(
        _l("Text (Lao)"), validators=[Optional(), max_length(20000)], render_kw=LAO
    )
    position = SelectField(
        _l("Position"), choices=Position.choices(), invalid_choice_message=NOT_A_CHOICE
    )
    recommending_states = StringField(
        _l("Recommending States"),
        validators=[Optional(), max_length(2000)],
        description=_l("Separate several States with semicolons."),
    )
    sdg_targets = SelectMultipleField(_l("SDG targets"), validate_choice=False)
    affected_groups = SelectMultipleField(_l("Affected groups"), validate_choice=False)
    nsedp_outcome = StringField(_l("NSEDP outcome"), validators=[Optional(), max_length(200)])
    location_section = StringField(_l("Section in the source"), validators=[Optional()])
    location_paragraph = StringField(
        _l("Paragraph or bullet"), validators=[Optional(), max_length(100)]
    )
    location_row = IntegerField(
        _l("Table row"), validators=[Optional()], invalid_value_message=NOT_A_WHOLE_NUMBER
    )
    indicator_text = TextAreaField(_l("Indicator"), validators=[Optional()])
    means_of_verification = TextAreaField(_l("Means of verification"), validators=[Optional()])
    time_frame = StringField(_l("Time frame (as written)"), validators=[Optional()])
    required_resources = TextAreaField(_l("Required resources"), validators=[Optional()])
    responsible_party = StringField(_l("Responsible party (as written)"), validators=[Optional()])
    missing_capacities = TextAreaField(_l("Missing capacities"), validators=[Optional()])
    published = BooleanField(_l("Published (visible to partners and the public)"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class AssignmentForm(FlaskForm):
    body = SelectField(_l("Body"), validators=[required()], invalid_choice_message=NOT_A_CHOICE)
    role = SelectField(
        _l("Role"), choices=AssignmentRole.choices(), invalid_choice_message=NOT_A_CHOICE
    )
    deadline_text = StringField(
        _l("Deadline as written"),
        validators=[Optional(), max_length(500)],
        description=_l('For example "quarter 1/2024", "by March 2024" or "by the end of 2022".'),
    )
    deadline = DateField(
        _l("Exact deadline"),
        validators=[Optional()],
        invalid_value_message=NOT_A_DATE,
        description=_l("Leave empty to use the date read from the text."),
    )
    precision = SelectField(
        _l("Precision of the exact deadline"),
        choices=[
            SelectChoice(p.value, p.label)
            for p in DeadlinePrecision
            if p not in (DeadlinePrecision.RECURRING, DeadlinePrecision.UNKNOWN)
        ],
        invalid_choice_message=NOT_A_CHOICE,
    )
    submit = SubmitField(_l("Save assignment"))

    def validate_deadline_text(self, field):
        if not field.data and not self.deadline.data:
            return  # no deadline at all: the assignment is flagged "needs a date"


class BulkAssignForm(AssignmentForm):
    codes = SelectMultipleField(_l("Recommendations"), validate_choice=False)
    submit = SubmitField(_l("Assign to the selected recommendations"))

    def validate_codes(self, field):
        if not field.data:
            raise ValidationError(_l("Select at least one recommendation."))


class ArchiveForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField(_l("Archive"))
