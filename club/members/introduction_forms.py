"""Forms of introductions: a member's ask, an answer (accept, decline, withdraw), a curator's proposal."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from club.core.forms import ClubForm
from club.members.introductions import MAX_NOTE

NOTE_HINT = _l("Why you would like to meet. Leave out your email or phone: you will each see the other's "
               "once you both accept.")


class AskForm(ClubForm):
    note = TextAreaField(_l("A few words (optional)"), validators=[Length(max=MAX_NOTE)], description=NOTE_HINT)


class AnswerForm(ClubForm):
    """Accept, decline or withdraw: the button says which; the form carries the CSRF token only."""


class ProposeForm(ClubForm):
    first = SelectField(_l("First member"), coerce=int, validators=[DataRequired()])
    second = SelectField(_l("Second member"), coerce=int, validators=[DataRequired()])
    note = TextAreaField(_l("A few words to both (optional)"), validators=[Length(max=MAX_NOTE)],
                         description=_l("What they have in common, or why you think they should meet."))

    def __init__(self, members: list[tuple[int, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(0, _l("Choose a member"))] + [(user_id, name) for user_id, name in members]
        self.first.choices = self.second.choices = choices

    def validate_second(self, field):
        if field.data and field.data == self.first.data:
            raise ValidationError(_("Choose two different members."))
