"""The reports' forms: generating a report file, and the editable cover."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.reports.data import FORMATS


class GenerateForm(FlaskForm):
    as_of = DateField(
        _l("As of"),
        validators=[Optional()],
        description=_l("Only updates validated on or before this day count. Empty: today."),
    )
    include_pending = BooleanField(_l("List updates awaiting validation separately"))
    # Rendered as one submit button per format.
    format = SelectField(_l("Format"), choices=[SelectChoice(f, f.upper()) for f in FORMATS])


class CoverForm(FlaskForm):
    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=1000)])
    title_lo = TextAreaField(_l("Title in Lao"), validators=[Optional(), Length(max=1000)])
    subtitle = StringField(_l("Subtitle"), validators=[Optional(), Length(max=1000)])
    subtitle_lo = StringField(_l("Subtitle in Lao"), validators=[Optional(), Length(max=1000)])
    introduction = TextAreaField(
        _l("Introduction"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Separate paragraphs with an empty line."),
    )
    introduction_lo = TextAreaField(
        _l("Introduction in Lao"), validators=[Optional(), Length(max=20000)]
    )
