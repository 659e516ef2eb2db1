from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from club.core.passwords import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()], render_kw={"autocomplete": "email"})
    password = PasswordField("Password", validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()], render_kw={"autocomplete": "email"})


class NewPasswordField(PasswordField):
    def __init__(self, label="New password", **kwargs):
        super().__init__(
            label,
            validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                                               message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")],
            render_kw={"autocomplete": "new-password"},
            description=f"At least {MIN_PASSWORD_LENGTH} characters. A phrase of a few words works well.",
            **kwargs,
        )


class ResetPasswordForm(FlaskForm):
    password = NewPasswordField()
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
                            render_kw={"autocomplete": "new-password"})


class NameField(StringField):
    def __init__(self, label="Full name", **kwargs):
        super().__init__(label, validators=[DataRequired(), Length(max=200)], **kwargs)
