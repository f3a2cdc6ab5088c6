"""Form validators and field messages whose texts come from our catalogue.

WTForms ships no Lao catalogue: a validator or field left to its built-in text answers in
English on a Lao page. These keep WTForms' English wording (users and tests know it) but mark it
for translation, lazily, so that a form class built at import time speaks the request's language.
Give every validator a message, and every field that parses or checks its input
(`SelectField`, `DateField`, `IntegerField`, `DecimalField`) its invalid-value message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString
from wtforms.validators import DataRequired, Length, NumberRange

REQUIRED = _l("This field is required.")
NOT_A_CHOICE = _l("Not a valid choice.")
NOT_A_DATE = _l("Not a valid date value.")
NOT_A_WHOLE_NUMBER = _l("Not a valid integer value.")
NOT_A_NUMBER = _l("Not a valid decimal value.")


def required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def max_length(limit: int) -> Length:
    """At most `limit` characters."""
    message = LazyString(
        lambda: ngettext(
            "Field cannot be longer than %(num)d character.",
            "Field cannot be longer than %(num)d characters.",
            limit,
        )
    )
    return Length(max=limit, message=message)


def length_between(low: int, high: int) -> Length:
    message = _l("Field must be between %(min)d and %(max)d characters long.")
    return Length(min=low, max=high, message=message)  # WTForms fills in min and max


def number_between(low: int, high: int) -> NumberRange:
    message = _l("Number must be between %(min)s and %(max)s.")
    return NumberRange(min=low, max=high, message=message)  # WTForms fills in min and max
