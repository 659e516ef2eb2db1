from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo

from club.core.forms import ClubForm, NewPasswordField


class LoginForm(ClubForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()], render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(ClubForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()], render_kw={"autocomplete": "email"})


class ResetPasswordForm(ClubForm):
    password = NewPasswordField()
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
