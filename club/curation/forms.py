"""Curators' forms: a score, a decision, reopening, their profile, a note, a reassignment."""
from club.core.forms import ClubForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from club.core.forms import CheckboxesField
from club.curation.decisions import OUTCOMES


class ReviewForm(ClubForm):
    score = RadioField("Your score", choices=[(str(n), str(n)) for n in range(1, 6)],
                       validators=[InputRequired(message="Choose a score from 1 to 5.")],
                       description="1: not for the club · 3: could go either way · 5: exactly who we hope for.")
    comment = TextAreaField("Comment for the other curators", validators=[Optional(), Length(max=4000)],
                            description="Seen by curators and admins only, never by the applicant.")


class DecisionForm(ClubForm):
    outcome = RadioField("Decision", choices=list(OUTCOMES.items()),
                         validators=[InputRequired(message="Choose approve, waitlist or reject.")])
    reason = TextAreaField("Reason", validators=[DataRequired(message="Say why: every decision is recorded with its reason."),
                                                 Length(max=4000)],
                           description="Kept in the application's history for staff; not sent to the applicant.")
    override_reason = TextAreaField("Why approve with fewer endorsements (admins only)",
                                    validators=[Optional(), Length(max=4000)],
                                    description="Needed only to approve before the required endorsements are in.")
    conflict_reason = TextAreaField("Why you decide although you vouched for this applicant (admins only)",
                                    validators=[Optional(), Length(max=4000)],
                                    description="Kept on the decision for the other staff; the audit log records only "
                                                "that you overrode the conflict.")


class ReopenForm(ClubForm):
    reason = TextAreaField("Why reopen it", validators=[DataRequired(message="Say why the application is reopened."),
                                                        Length(max=4000)])


class CuratorProfileForm(ClubForm):
    bio = TextAreaField("About you", validators=[Optional(), Length(max=2000)],
                        description="Members see this on their home page once you are their curator.")
    contact = StringField("How members reach you", validators=[Optional(), Length(max=200)],
                          description="For example: write through the club, or a phone number.")
    city = StringField("City", validators=[Optional(), Length(max=120)])
    interests = CheckboxesField("Interests", choices=[])
    languages = StringField("Languages", validators=[Optional(), Length(max=300)],
                            description="Separated by commas, e.g. English, French.")
    capacity = IntegerField("Members you can look after", validators=[InputRequired(message="Give a number."),
                                                                       NumberRange(1, 500)])

    def language_list(self) -> list[str]:
        return [part for part in (self.languages.data or "").split(",") if part.strip()]


class NoteForm(ClubForm):
    body = TextAreaField("New note", validators=[DataRequired(message="Write the note first."), Length(max=4000)])


class ReassignForm(ClubForm):
    curator_id = SelectField("New curator", coerce=int, choices=[],
                             validators=[InputRequired(message="Choose a curator.")])
    reason = TextAreaField("Reason", validators=[DataRequired(message="Say why the member gets another curator."),
                                                 Length(max=2000)],
                           description="Kept in the member's history; the previous curator is told it too.")
