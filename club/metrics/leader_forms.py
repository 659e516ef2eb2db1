"""The leaders page's forms: an ambassador named or ended, and the weights of the signals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange

from club.core.forms import ClubForm, IdField


class AmbassadorForm(ClubForm):
    user_id = IdField(validators=[DataRequired()])
    action = HiddenField(validators=[AnyOf(("name", "end"))])


def _weight(label):
    return IntegerField(label, validators=[InputRequired(), NumberRange(0, 100)],
                        description=_l("Points for each, 0 to 100."))


class WeightsForm(ClubForm):
    attended = _weight(_l("Evening attended"))
    hosted = _weight(_l("Evening hosted"))
    referrals = _weight(_l("Invitee approved, still a member"))
    feedback = _weight(_l("Rating left after an evening"))
