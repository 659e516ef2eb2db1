"""Form fields more than one feature uses."""
from __future__ import annotations

from wtforms import PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from club.core.passwords import MIN_PASSWORD_LENGTH


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NameField(StringField):
    def __init__(self, label="Full name", **kwargs):
        super().__init__(label, validators=[DataRequired(), Length(max=200)], **kwargs)


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
