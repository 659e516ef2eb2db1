"""Curators' forms: a score, a decision, reopening, their profile, a note, a reassignment."""
from flask_babel import lazy_gettext as _l

from club.core.forms import ClubForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from club.core.forms import CheckboxesField
from club.curation.decisions import OUTCOMES


class ReviewForm(ClubForm):
    score = RadioField(_l("Your score"), choices=[(str(n), str(n)) for n in range(1, 6)],
                       validators=[InputRequired(message=_l("Choose a score from 1 to 5."))],
                       description=_l("1: not for the club · 3: could go either way · 5: exactly who we hope for."))
    comment = TextAreaField(_l("Comment for the other curators"), validators=[Optional(), Length(max=4000)],
                            description=_l("Seen by curators and admins only, never by the applicant."))


class DecisionForm(ClubForm):
    outcome = RadioField(_l("Decision"), choices=list(OUTCOMES.items()),
                         validators=[InputRequired(message=_l("Choose approve, waitlist or reject."))])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(message=_l("Say why: every decision is recorded with its reason.")), Length(max=4000)],
                           description=_l("Kept in the application's history for staff; not sent to the applicant."))
    override_reason = TextAreaField(_l("Why approve with fewer endorsements (admins only)"),
                                    validators=[Optional(), Length(max=4000)],
                                    description=_l("Needed only to approve before the required endorsements are in."))
    conflict_reason = TextAreaField(_l("Why you decide although you vouched for this applicant (admins only)"),
                                    validators=[Optional(), Length(max=4000)],
                                    description=_l("Kept on the decision for the other staff; the audit log records only "
                                                   "that you overrode the conflict."))


class ReopenForm(ClubForm):
    reason = TextAreaField(_l("Why reopen it"), validators=[
        DataRequired(message=_l("Say why the application is reopened.")), Length(max=4000)])


class CuratorProfileForm(ClubForm):
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=2000)],
                        description=_l("Members see this on their home page once you are their curator."))
    contact = StringField(_l("How members reach you"), validators=[Optional(), Length(max=200)],
                          description=_l("For example: write through the club, or a phone number."))
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    interests = CheckboxesField(_l("Interests"), choices=[])
    languages = StringField(_l("Languages"), validators=[Optional(), Length(max=300)],
                            description=_l("Separated by commas, e.g. English, French."))
    capacity = IntegerField(_l("Members you can look after"), validators=[InputRequired(message=_l("Give a number.")),
                                                                       NumberRange(1, 500)])

    def language_list(self) -> list[str]:
        return [part for part in (self.languages.data or "").split(",") if part.strip()]


class NoteForm(ClubForm):
    body = TextAreaField(_l("New note"), validators=[DataRequired(message=_l("Write the note first.")), Length(max=4000)])


class ReassignForm(ClubForm):
    curator_id = SelectField(_l("New curator"), coerce=int, choices=[],
                             validators=[InputRequired(message=_l("Choose a curator."))])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(message=_l("Say why the member gets another curator.")), Length(max=2000)],
                           description=_l("Kept in the member's history; the previous curator is told it too."))
