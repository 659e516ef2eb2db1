"""The app's one input policy (``ClubForm``, which every form inherits) and form fields several features use.

What holds for every field of every form, before the field's own validators run:
- no control characters: NUL and the other C0 and C1 characters are refused; a multi-line text
  (a ``TextAreaField``) may hold tab, line feed and carriage return, nothing else may hold any,
  so a single-line field (a name, a subject) is always a single line;
- a text no longer than its column: a field without its own ``Length`` gets one (``MAX_LINE`` for a
  line, ``MAX_TEXT`` for a text), so nothing reaches the database to fail there;
- a number no larger than the column holds: an ``IntegerField`` or an ``IdField`` outside a
  32-bit integer, a ``DecimalField`` whose cents would not fit one, is refused;
- choices (select, radio, checkboxes) must be among those offered (WTForms' own check, kept on).
A refusal is a field error with a plain message, shown next to the field with what was typed.

Every message is in the reader's language: the club's own through its catalogue, and WTForms' own
("This field is required.", an email's or a length's refusal) through ``club.core.form_messages``,
which puts the club's translations before the ones WTForms ships.
"""
from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l, lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import (DecimalField, Field, FileField, HiddenField, IntegerField, PasswordField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from club.core.form_messages import N_, club_translations
from club.core.passwords import MIN_PASSWORD_LENGTH, password_weakness

# What a PostgreSQL INTEGER column holds (SQLite holds more; the club keeps to the smaller).
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)
_MAX_AMOUNT = Decimal(MAX_INT) / 100  # an amount is stored in cents
MAX_LINE = 254      # a single-line field without a Length of its own (an email's longest)
MAX_TEXT = 20000    # a multi-line field without a Length of its own

# C0 controls, DEL and C1 controls; a multi-line text may keep \t \n \r.
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Unicode's own line and paragraph separators break a "single line" as much as LF does.
_LINE_BREAKS = re.compile(r"[\u2028\u2029\x85]")

# In English (the msgid); shown translated (``control_problem``).
CONTROL_MESSAGE = N_("This contains characters that cannot be stored (control characters); please retype it.")
LINE_MESSAGE = N_("Keep this on one line.")
INVALID_REFERENCE = N_("That is not a valid reference; reload the page and try again.")


def control_problem(value: str, multiline: bool) -> str | None:
    """Why ``value`` breaks the policy on characters, or None. Pure; used by the policy and by tests."""
    if not multiline and ("\n" in value or "\r" in value or _LINE_BREAKS.search(value)):
        return _(LINE_MESSAGE)
    if (_CONTROL_TEXT if multiline else _CONTROL_LINE).search(value):
        return _(CONTROL_MESSAGE)
    return None


def _raw_strings(field: Field) -> list[str]:
    return [value for value in (field.raw_data or ()) if isinstance(value, str)]


class _InputPolicy:
    """The first validator of every field of a ``ClubForm``; stops the chain on a refusal."""

    field_flags: dict = {}

    def __call__(self, form, field: Field) -> None:
        if isinstance(field, FileField):
            return
        multiline = isinstance(field, TextAreaField)
        for value in _raw_strings(field):
            problem = control_problem(value, multiline)
            if problem:
                raise StopValidation(problem)
        if isinstance(field, (IntegerField, IdField)) and isinstance(field.data, int):
            if not MIN_INT <= field.data <= MAX_INT:
                raise StopValidation(_("That number is too large."))
        if isinstance(field, DecimalField) and isinstance(field.data, Decimal):
            if not field.data.is_finite():
                raise StopValidation(_("Enter a number."))
            if abs(field.data) > _MAX_AMOUNT:
                raise StopValidation(_("That amount is too large."))


def _has(validators, kind) -> bool:
    return any(isinstance(v, kind) for v in validators)


class ClubForm(FlaskForm):
    """The base of every form in the app: the input policy above, before each field's own checks."""

    class Meta:
        def get_translations(self, form):
            return club_translations

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = _InputPolicy()
        for field in self._fields.values():
            extra = []
            if isinstance(field, (StringField, PasswordField)) and not isinstance(field, IdField) \
                    and not _has(field.validators, Length):
                extra.append(Length(max=MAX_TEXT if isinstance(field, TextAreaField) else MAX_LINE))
            field.validators = [policy, *field.validators, *extra]


class IdField(HiddenField):
    """A record's id carried in a hidden field: a whole number a column can hold, else a field error."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0] not in ("", None):
            try:
                self.data = int(valuelist[0])
            except (TypeError, ValueError):
                self.data = None
                raise ValueError(_(INVALID_REFERENCE)) from None

    def _value(self):
        return "" if self.data is None else str(self.data)

    def pre_validate(self, form):
        if self.data is not None and not 1 <= self.data <= MAX_INT:
            raise ValidationError(_(INVALID_REFERENCE))


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NameField(StringField):
    def __init__(self, label=_l("Full name"), **kwargs):
        super().__init__(label, validators=[DataRequired(), Length(max=200)], **kwargs)


def _not_guessable(form, field) -> None:
    """Refuse a common or guessable password (zxcvbn), also one built on the form's name or email."""
    if len(field.data or "") < MIN_PASSWORD_LENGTH:
        return  # Length has said so already
    own = tuple(str(getattr(form, name).data or "") for name in ("email", "full_name") if hasattr(form, name))
    problem = password_weakness(field.data or "", own + tuple(getattr(form, "password_context", ())))
    if problem:
        raise ValidationError(problem)


class NewPasswordField(PasswordField):
    def __init__(self, label=_l("New password"), **kwargs):
        super().__init__(
            label,
            validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200, message=lazy_ngettext(
                "Use at least %(num)d character.", "Use at least %(num)d characters.", MIN_PASSWORD_LENGTH)),
                        _not_guessable],
            render_kw={"autocomplete": "new-password"},
            description=lazy_ngettext(
                "At least %(num)d character, and not a common password. A phrase of a few unrelated words works well.",
                "At least %(num)d characters, and not a common password. A phrase of a few unrelated words works well.",
                MIN_PASSWORD_LENGTH),
            **kwargs,
        )

