"""The events forms: booking (guests), the staff's event form (times typed in the club's zone), feedback,
and check-in at the door."""
from flask_babel import lazy_gettext as _l
from wtforms import (DateTimeLocalField, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from club.core.forms import ClubForm
from club.models.events import INVITE_ONLY, VISIBLE_TO_MEMBERS

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BookingForm(ClubForm):
    guests = IntegerField(_l("Guests"), default=0,
                          validators=[InputRequired(message=_l("Say how many guests you bring.")),
                                      NumberRange(min=0, max=20)])
    # "1" when the member, told that fewer seats are left than their party, chose to wait with everyone.
    wait_with_all = HiddenField(default="")


class EventForm(ClubForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(
        _l("Description"), validators=[Length(max=20000)],
        description=_l("Plain text. Leave a blank line between paragraphs; web addresses become links."))
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMAT,
                                   validators=[DataRequired(message=_l("Give the start."))],
                                   description=_l("In the club's time zone."))
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMAT,
                                 validators=[DataRequired(message=_l("Give the end."))])
    venue_name = StringField(_l("Venue"), validators=[DataRequired(), Length(max=160)])
    venue_address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=2000)],
                            description=_l("Members and their guests each take a seat."))
    max_guests = IntegerField(_l("Guests a member may bring"), default=0,
                              validators=[InputRequired(), NumberRange(0, 10)])
    cancel_cutoff_hours = IntegerField(_l("Cancellation closes (hours before the start)"), default=24,
                                       validators=[InputRequired(), NumberRange(0, 24 * 30)])
    visibility = RadioField(_l("Who may see it"), default=VISIBLE_TO_MEMBERS,
                            choices=[(VISIBLE_TO_MEMBERS, _l("All members")),
                                     (INVITE_ONLY, _l("Invited members only"))])
    # A checkbox list (no Ctrl-click); static/js/club.js adds a filter by name above it.
    invited_ids = CheckboxesField(_l("Invited members"), coerce=int, validators=[Optional()],
                                  description=_l("For invite-only events. Tick each member to invite."))
    tag_ids = CheckboxesField(_l("Interests"), coerce=int, validators=[Optional()])
    host_id = SelectField(_l("Host"), coerce=int)

    def set_choices(self, choices: dict) -> None:
        self.host_id.choices = choices["hosts"]
        self.invited_ids.choices = choices["members"]
        self.tag_ids.choices = choices["tags"]


class FeedbackForm(ClubForm):
    rating = RadioField(_l("Your rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)],
                        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
                        description=_l("1 is poor, 5 is excellent."))
    comment = TextAreaField(_l("Anything to tell the host?"), validators=[Optional(), Length(max=4000)])


class CheckInForm(ClubForm):
    attendance = SelectField(_l("Attendance"), choices=[("", _l("Not marked")), ("attended", _l("Attended")),
                                                       ("no_show", _l("No show"))], validators=[Optional()])
