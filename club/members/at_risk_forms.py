"""The form a curator sends when they have handled a warning sign about a member."""
from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, TextAreaField
from wtforms.widgets import HiddenInput
from wtforms.validators import AnyOf, DataRequired, Length

from club.core.forms import ClubForm, IdField
from club.members.at_risk import MAX_NOTE, SIGNALS


class MomentField(Field):
    """The moment a sign fired, carried as ISO text in a hidden input; anything else is a field error."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0]:
            try:
                moment = datetime.fromisoformat(valuelist[0])
            except ValueError:
                raise ValueError("not a moment") from None
            self.data = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

    def _value(self):
        return self.data.isoformat() if isinstance(self.data, datetime) else ""


class HandledForm(ClubForm):
    member_id = IdField(validators=[DataRequired()])
    signal = HiddenField(validators=[AnyOf(tuple(SIGNALS))])
    fired_at = MomentField(validators=[DataRequired()])
    note = TextAreaField(_l("What you did"), validators=[Length(max=MAX_NOTE)],
                         description=_l("For the club's staff only, e.g. “Called her; she is travelling until March.”"))
