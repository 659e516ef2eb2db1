"""The ballot's forms: the staff's close time (typed in the club's zone)."""
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField
from wtforms.validators import DataRequired

from club.core.forms import ClubForm
from club.events.forms import LOCAL_FORMAT


class BallotForm(ClubForm):
    closes_at = DateTimeLocalField(_l("The ballot closes"), format=LOCAL_FORMAT,
                                   validators=[DataRequired(message=_l("Give the close time."))],
                                   description=_l("In the club's time zone, before the evening starts. "
                                                  "Members enter until then; the draw follows within minutes."))
