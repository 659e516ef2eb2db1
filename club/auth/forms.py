from club.core.forms import ClubForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo

from club.core.forms import NewPasswordField


class LoginForm(ClubForm):
    email = EmailField("Email", validators=[DataRequired(), Email()], render_kw={"autocomplete": "email"})
    password = PasswordField("Password", validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(ClubForm):
    email = EmailField("Email", validators=[DataRequired(), Email()], render_kw={"autocomplete": "email"})


class ResetPasswordForm(ClubForm):
    password = NewPasswordField()
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
                            render_kw={"autocomplete": "new-password"})
