"""Forms of the second factor: the code at sign-in, confirming the app, proving it is you."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from club.core.forms import ClubForm, IdField

_CODE_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false",
               "autocorrect": "off"}


class SignInCodeForm(ClubForm):
    """A six-digit code from the app, or a recovery code."""

    code = StringField(_l("Code"), validators=[DataRequired(message=_l("Type the code your app shows.")), Length(max=40)],
                       description=_l("The six digits from your authenticator app, or one of your recovery codes."),
                       render_kw={**_CODE_ATTRS, "autofocus": True})


class ConfirmAppForm(ClubForm):
    code = StringField(_l("Code from the app"), validators=[DataRequired(message=_l("Type the six digits the app shows.")),
                                                            Length(max=20)],
                       description=_l("After adding the account, the app shows six digits that change every 30 seconds."),
                       render_kw={**_CODE_ATTRS, "inputmode": "numeric"})
    password = PasswordField(_l("Your password"), validators=[DataRequired(message=_l("Type your password."))],
                             description=_l("To be sure it is you setting this up."),
                             render_kw={"autocomplete": "current-password"})


class ProveItIsYouForm(ClubForm):
    """Turning the factor off or renewing recovery codes: the password, or a current code."""

    proof = PasswordField(_l("Your password, or a code from your app"),
                          validators=[DataRequired(message=_l("Type your password or a code from your app.")),
                                      Length(max=256)],
                          render_kw={"autocomplete": "current-password"})


class ResetSecondFactorForm(ClubForm):
    user_id = IdField(validators=[DataRequired()])
