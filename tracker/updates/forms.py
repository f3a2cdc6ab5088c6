"""Forms for status updates, their review, and indicator values. `UpdateForm` is reusable from
other pages (the focal-point workspace): validate it, then pass `form.submission()` to
`services.submit_update`."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.clock import local_today
from tracker.models import IndicatorValue, Status, StatusUpdate
from tracker.updates.evidence import EvidenceRejected, human_size, inspect_upload
from tracker.updates.services import UpdateError, check_link
from tracker.validators import (
    NOT_A_CHOICE,
    NOT_A_DATE,
    NOT_A_NUMBER,
    NOT_A_WHOLE_NUMBER,
    REQUIRED,
    max_length,
)

MAX_FILES = 10
MAX_LINKS = 20
ACCEPT = ".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png"


def not_in_future(form, field) -> None:
    if field.data and field.data > local_today():
        raise ValidationError(_("The date of the action cannot be in the future."))


class UpdateForm(FlaskForm):
    """Submit a status update, or resubmit a returned one (`returned=`: the form is prefilled
    from it and offers to keep its evidence)."""

    status = SelectField(
        _l("Status"),
        choices=Status.choices(),
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=NOT_A_CHOICE,
    )
    percent = IntegerField(
        _l("Progress (%)"),
        validators=[Optional(), NumberRange(0, 100, message=_l("Between 0 and 100."))],
        invalid_value_message=NOT_A_WHOLE_NUMBER,
        render_kw={"min": 0, "max": 100, "inputmode": "numeric"},
    )
    reported_on = DateField(
        _l("Date of the action"),
        validators=[InputRequired(message=_l("Give the date of the action.")), not_in_future],
        invalid_value_message=NOT_A_DATE,
        description=_l("When it was done, not today's date; never in the future."),
    )
    narrative = TextAreaField(
        _l("What was done"),
        validators=[InputRequired(message=_l("Describe what was done.")), max_length(20000)],
    )
    # The description (accepted kinds and the size limit) is set per instance from the config.
    files = MultipleFileField(_l("Evidence files"), render_kw={"accept": ACCEPT})
    links = TextAreaField(
        _l("Evidence links"),
        validators=[max_length(MAX_LINKS * 2001)],
        description=_l("One web address per line, starting with http:// or https://."),
    )
    keep = SelectMultipleField(
        _l("Keep the evidence of the returned update"),
        coerce=int,
        invalid_choice_message=NOT_A_CHOICE,
        invalid_value_message=NOT_A_CHOICE,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Submit the update"))

    def __init__(self, *args, returned: StatusUpdate | None = None, current=None, **kwargs):
        if returned is None and current is not None:
            # A new report starts from where the recommendation stands.
            kwargs.setdefault(
                "data", {"status": current.status.value, "percent": current.status_percent}
            )
        if returned is not None:
            kwargs.setdefault(
                "data",
                {
                    "status": returned.status.value,
                    "percent": returned.percent,
                    "reported_on": returned.reported_on,
                    "narrative": returned.narrative,
                    "keep": [e.id for e in returned.evidence],
                },
            )
        super().__init__(*args, **kwargs)
        self.returned = returned
        self.uploads = []
        if returned is None:
            del self.keep
        else:
            self.keep.choices = [(e.id, e.filename or e.url) for e in returned.evidence]
        limit = human_size(current_app.config["EVIDENCE_MAX_BYTES"])
        self.files.description = _(
            "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), JPEG or PNG; at most "
            "%(count)d files of %(limit)s each.",
            count=MAX_FILES,
            limit=limit,
        )

    def validate_files(self, field) -> None:
        chosen = [f for f in field.data or [] if getattr(f, "filename", None)]
        if len(chosen) > MAX_FILES:
            raise ValidationError(_("At most %(count)d files at a time.", count=MAX_FILES))
        limit = current_app.config["EVIDENCE_MAX_BYTES"]
        for item in chosen:
            try:
                self.uploads.append(inspect_upload(item, limit))
            except EvidenceRejected as refused:
                field.errors.append(str(refused))  # one message per refused file

    def validate_links(self, field) -> None:
        lines = self.link_list()
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("At most %(count)d links at a time.", count=MAX_LINKS))
        for line in lines:
            try:
                check_link(line)
            except UpdateError as refused:
                field.errors.append(refused.message)

    def link_list(self) -> list[str]:
        return [line.strip() for line in (self.links.data or "").splitlines() if line.strip()]

    def submission(self) -> dict:
        """The keyword arguments of services.submit_update (all but `replaces`)."""
        kept = []
        if self.returned is not None:
            kept = [e for e in self.returned.evidence if e.id in (self.keep.data or [])]
        return {
            "status": Status(self.status.data),
            "percent": self.percent.data,
            "reported_on": self.reported_on.data,
            "narrative": self.narrative.data,
            "files": self.uploads,
            "links": self.link_list(),
            "keep": kept,
        }


class ReviewForm(FlaskForm):
    """Validate, or return with a required comment. One per item on the queue page, each with
    its own prefix so that field ids stay unique."""

    comment = TextAreaField(
        _l("Comment"),
        validators=[max_length(5000)],
        description=_l("Required to return it: say what is missing or wrong."),
    )
    approve = SubmitField(_l("Validate"))
    send_back = SubmitField(_l("Return with comment"))

    def validate_comment(self, field) -> None:
        if self.send_back.data and not (field.data or "").strip():
            raise ValidationError(_("Say why it is returned: the comment is required."))


class IndicatorValueForm(FlaskForm):
    """An actual value of an indicator for a period, with where it comes from."""

    period = StringField(
        _l("Period"),
        validators=[InputRequired(message=_l("Give the period.")), max_length(20)],
        description=_l("E.g. 2024, 2024-Q1 or 2023-24."),
    )
    value = DecimalField(
        _l("Value"),
        places=None,
        validators=[InputRequired(message=_l("Give the value as a number."))],
        invalid_value_message=NOT_A_NUMBER,
        render_kw={"inputmode": "decimal"},
    )
    source_note = TextAreaField(
        _l("Source"),
        validators=[InputRequired(message=_l("Say where the value comes from.")), max_length(2000)],
        description=_l("The report, survey or database the value is taken from."),
    )
    submit = SubmitField(_l("Submit the value"))

    def __init__(self, *args, returned: IndicatorValue | None = None, **kwargs):
        if returned is not None:
            kwargs.setdefault(
                "data",
                {
                    "period": returned.period,
                    # 4200.0000 shown as 4200 (normalize alone would give 4.2E+3)
                    "value": Decimal(format(returned.value.normalize(), "f")),
                    "source_note": returned.source_note,
                },
            )
        super().__init__(*args, **kwargs)


def show_service_error(form: FlaskForm, error: UpdateError) -> bool:
    """Put a service's refusal beside its field; False if it belongs to no field of the form
    (the caller flashes it)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return False
    field.errors = [*field.errors, error.message]
    return True
