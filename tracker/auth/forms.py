from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import EqualTo

from tracker.validators import length_between, max_length, required


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[required(), max_length(254)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(200)])
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[required()])
    new = PasswordField(
        _l("New password"),
        validators=[required(), length_between(10, 200)],
        description=_l("At least 10 characters, mixing letters with digits or symbols."),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[required(), EqualTo("new", message=_l("The two new passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))
