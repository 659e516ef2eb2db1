from urllib.parse import urlsplit

from club.core.forms import ClubForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from club.core.forms import CheckboxesField
from club.core.forms import IdField, NameField
from club.members import privacy, request_states
from club.members.profile_service import MAX_LINKS
from club.members.requests_service import MAX_BODY


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


def split_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _links(form, field):
    links = split_lines(field.data)
    if len(links) > MAX_LINKS:
        raise ValidationError(f"Up to {MAX_LINKS} links, please.")
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in link or len(link) > 300:
            raise ValidationError(f"“{link[:60]}” is not a web address; start it with https://.")


class ProfileForm(ClubForm):
    full_name = NameField("Your name", description="Shown to members in the directory if you are listed.")
    city = StringField("City", validators=[Optional(), Length(max=120)])
    occupation = StringField("Occupation", validators=[Optional(), Length(max=160)])
    company = StringField("Company or organisation", validators=[Optional(), Length(max=160)])
    bio = TextAreaField("A few words about you", validators=[Optional(), Length(max=1500)],
                        description="What you do, what you care about, what you would like to find here.")
    interests = CheckboxesField("Interests", choices=[])
    languages = StringField("Languages you speak", validators=[Optional(), Length(max=300)],
                            description="Separate them with commas, e.g. English, French.")
    links = TextAreaField("Links", validators=[Optional(), _links],
                          description=f"Up to {MAX_LINKS} web addresses, one per line.")


class PhotoForm(ClubForm):
    photo = FileField("Photo", validators=[FileRequired("Choose a photo to upload.")],
                      description="JPEG, PNG or WebP, up to 5 MB. We keep a copy of at most 800×800 pixels "
                                  "and remove location and camera data.",
                      render_kw={"accept": "image/jpeg,image/png,image/webp"})


class DirectoryForm(ClubForm):
    listed = RadioField("In the members’ directory",
                        choices=[("hidden", "Hidden: other members do not see me at all"),
                                 ("listed", "Listed: members see my name, the year I joined, and what I tick below")],
                        validators=[InputRequired("Choose listed or hidden.")])
    fields = CheckboxesField("Also show", choices=list(privacy.FIELDS.items()))


class RulesForm(ClubForm):
    version_id = IdField(validators=[DataRequired()])
    accept = BooleanField("I have read the club rules and accept them",
                          validators=[DataRequired("Please tick the box to accept the rules.")])


def _topic_choices():
    return list(request_states.TOPICS.items())


class RequestForm(ClubForm):
    topic = RadioField("What is it about?", choices=_topic_choices(),
                       validators=[InputRequired("Choose what your request is about.")])
    body = TextAreaField("Your message", validators=[DataRequired("Please write a message."), Length(max=MAX_BODY)],
                         description="For an introduction, say whom you would like to meet and why.")


class MessageForm(ClubForm):
    body = TextAreaField("Your message", validators=[DataRequired("Please write a message."), Length(max=MAX_BODY)])


class StaffAnswerForm(ClubForm):
    body = TextAreaField("Your answer", validators=[DataRequired("Please write an answer."), Length(max=MAX_BODY)])
    state = SelectField("Then mark the request", choices=[("", "In progress (or leave as it is)"),
                                                          ("done", "Done")], validators=[Optional()])


class StateForm(ClubForm):
    state = SelectField("State", choices=list(request_states.LABELS.items()))


class HelloForm(ClubForm):
    body = TextAreaField("Your message", validators=[DataRequired("Please write a few words."), Length(max=MAX_BODY)],
                         description="A line or two: what brought you here, what you hope to find.")


class CuratorChangeForm(ClubForm):
    reason = TextAreaField("Why (optional)", validators=[Optional(), Length(max=MAX_BODY)],
                           description="Only the club’s admins read this, not your curator.")


class ResolveForm(ClubForm):
    pass


class LeaveForm(ClubForm):
    reason = TextAreaField("Would you tell us why? (optional)", validators=[Optional(), Length(max=500)])
    confirm = BooleanField("Yes, cancel my membership", validators=[DataRequired("Please tick the box to confirm.")])


class DeleteForm(ClubForm):
    password = PasswordField("Your password", validators=[DataRequired("Please enter your password.")],
                             render_kw={"autocomplete": "current-password"})
    confirm = BooleanField("I understand that this cannot be undone",
                           validators=[DataRequired("Please tick the box to confirm.")])
