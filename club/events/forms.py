"""The events forms: booking (guests), the staff's event form (times typed in the club's zone), feedback,
and check-in at the door."""
from club.core.forms import ClubForm
from wtforms import (DateTimeLocalField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from club.models.events import INVITE_ONLY, VISIBLE_TO_MEMBERS

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BookingForm(ClubForm):
    guests = IntegerField("Guests", default=0, validators=[InputRequired(message="Say how many guests you bring."),
                                                          NumberRange(min=0, max=20)])


class EventForm(ClubForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(
        "Description", validators=[Length(max=20000)],
        description="Plain text. Leave a blank line between paragraphs; web addresses become links.")
    starts_at = DateTimeLocalField("Starts", format=LOCAL_FORMAT, validators=[DataRequired(message="Give the start.")],
                                   description="In the club's time zone.")
    ends_at = DateTimeLocalField("Ends", format=LOCAL_FORMAT, validators=[DataRequired(message="Give the end.")])
    venue_name = StringField("Venue", validators=[DataRequired(), Length(max=160)])
    venue_address = StringField("Address", validators=[Optional(), Length(max=300)])
    capacity = IntegerField("Seats", validators=[InputRequired(), NumberRange(min=1, max=2000)],
                            description="Members and their guests each take a seat.")
    max_guests = IntegerField("Guests a member may bring", default=0, validators=[InputRequired(), NumberRange(0, 10)])
    cancel_cutoff_hours = IntegerField("Cancellation closes (hours before the start)", default=24,
                                       validators=[InputRequired(), NumberRange(0, 24 * 30)])
    visibility = RadioField("Who may see it", default=VISIBLE_TO_MEMBERS,
                            choices=[(VISIBLE_TO_MEMBERS, "All members"), (INVITE_ONLY, "Invited members only")])
    invited_ids = SelectMultipleField("Invited members", coerce=int, validators=[Optional()],
                                      description="For invite-only events. Hold Ctrl (⌘ on a Mac) to choose several.")
    tag_ids = CheckboxesField("Interests", coerce=int, validators=[Optional()])
    host_id = SelectField("Host", coerce=int)

    def set_choices(self, choices: dict) -> None:
        self.host_id.choices = choices["hosts"]
        self.invited_ids.choices = choices["members"]
        self.tag_ids.choices = choices["tags"]


class FeedbackForm(ClubForm):
    rating = RadioField("Your rating", coerce=int, choices=[(n, str(n)) for n in range(1, 6)],
                        validators=[InputRequired(message="Choose a rating from 1 to 5.")],
                        description="1 is poor, 5 is excellent.")
    comment = TextAreaField("Anything to tell the host?", validators=[Optional(), Length(max=4000)])


class CheckInForm(ClubForm):
    attendance = SelectField("Attendance", choices=[("", "Not marked"), ("attended", "Attended"),
                                                    ("no_show", "No show")], validators=[Optional()])
