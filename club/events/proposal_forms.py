"""The forms of members' own evenings: the proposal (the member's, and the same fields for staff
to edit before approving), the decline with its reason, and withdrawing."""
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from club.core.forms import ClubForm
from club.events.forms import LOCAL_FORMAT
from club.events.manage import local_to_utc
from club.events.proposals import MAX_GUESTS, MAX_SEATS, MIN_SEATS
from club.models.base import utcnow


class ProposalForm(ClubForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(max=20000)],
        description=_l("What the evening is, and why members will enjoy it. Leave a blank line between "
                       "paragraphs; web addresses become links."))
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMAT,
                                   validators=[DataRequired(message=_l("Give the start."))],
                                   description=_l("In the club's time zone."))
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMAT,
                                 validators=[DataRequired(message=_l("Give the end."))])
    venue_name = StringField(_l("Venue"), validators=[DataRequired(), Length(max=160)])
    venue_address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=MIN_SEATS, max=MAX_SEATS)],
                            description=_l("Members and their guests each take a seat."))
    max_guests = IntegerField(_l("Guests a member may bring"), default=0,
                              validators=[InputRequired(), NumberRange(0, MAX_GUESTS)],
                              description=_l("0 if the evening is for members only."))

    # The same rules as ``proposals.check_draft``, here so every field's error shows at once.
    def validate_starts_at(self, field):
        if field.data and local_to_utc(field.data) <= utcnow():
            raise ValidationError(_("The start must be in the future."))

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_("The end must be after the start."))


class DeclineForm(ClubForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Give the member a reason.")),
                                                     Length(max=4000)],
                           description=_l("The member reads this in the mail that tells them."))


class WithdrawForm(ClubForm):
    """Only the CSRF token: the proposal is in the address."""
