"""The reports' forms: generating a report file, and the editable cover."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.i18n import ENGLISH, LAO
from tracker.reports.data import FORMATS
from tracker.validators import NOT_A_CHOICE, NOT_A_DATE, max_length, required


class GenerateForm(FlaskForm):
    as_of = DateField(
        _l("As of"),
        validators=[Optional()],
        invalid_value_message=NOT_A_DATE,
        description=_l("Only updates validated on or before this day count. Empty: today."),
    )
    include_pending = BooleanField(_l("List updates awaiting validation separately"))
    # Rendered as one submit button per format.
    format = SelectField(
        _l("Format"),
        choices=[SelectChoice(f, f.upper()) for f in FORMATS],
        invalid_choice_message=NOT_A_CHOICE,
    )


class CoverForm(FlaskForm):
    title = TextAreaField(_l("Title"), validators=[required(), max_length(1000)], render_kw=ENGLISH)
    title_lo = TextAreaField(
        _l("Title in Lao"), validators=[Optional(), max_length(1000)], render_kw=LAO
    )
    subtitle = StringField(
        _l("Subtitle"), validators=[Optional(), max_length(1000)], render_kw=ENGLISH
    )
    subtitle_lo = StringField(
        _l("Subtitle in Lao"), validators=[Optional(), max_length(1000)], render_kw=LAO
    )
    introduction = TextAreaField(
        _l("Introduction"),
        validators=[Optional(), max_length(20000)],
        description=_l("Separate paragraphs with an empty line."),
        render_kw=ENGLISH,
    )
    introduction_lo = TextAreaField(
        _l("Introduction in Lao"), validators=[Optional(), max_length(20000)], render_kw=LAO
    )
