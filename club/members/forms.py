from urllib.parse import urlsplit

from club.core.forms import ClubForm
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from club.core.forms import CheckboxesField
from club.core.forms import IdField, NameField
from club.core.i18n import LANGUAGES
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
        raise ValidationError(_("Up to %(count)d links, please.", count=MAX_LINKS))
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in link or len(link) > 300:
            raise ValidationError(_("“%(link)s” is not a web address; start it with https://.", link=link[:60]))


class ProfileForm(ClubForm):
    full_name = NameField(_l("Your name"), description=_l("Shown to members in the directory if you are listed."))
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=160)])
    company = StringField(_l("Company or organisation"), validators=[Optional(), Length(max=160)])
    bio = TextAreaField(_l("A few words about you"), validators=[Optional(), Length(max=1500)],
                        description=_l("What you do, what you care about, what you would like to find here."))
    interests = CheckboxesField(_l("Interests"), choices=[])
    languages = StringField(_l("Languages you speak"), validators=[Optional(), Length(max=300)],
                            description=_l("Separate them with commas, e.g. English, French."))
    links = TextAreaField(_l("Links"), validators=[Optional(), _links],
                          description=_l("Up to %(count)d web addresses, one per line.", count=MAX_LINKS))
    # The language the club speaks to the member in: its pages and its mail (users.language, the
    # column the footer's switcher writes too). The names are written in their own language.
    language = SelectField(_l("Language"), choices=[(code, name, {"lang": code}) for code, name in LANGUAGES.items()],
                           description=_l("The club’s pages and the mail it sends you are in this language."))


def profile_form(user, profile, interests: list[str], language: str, **kwargs) -> ProfileForm:
    """The profile form filled with what the member has now (``kwargs``: ``formdata=None`` to show
    it beside another form's errors)."""
    form = ProfileForm(data={
        "full_name": user.full_name, "city": profile.city, "occupation": profile.occupation,
        "company": profile.company, "bio": profile.bio, "interests": profile.interests,
        "languages": ", ".join(profile.languages or []), "links": "\n".join(profile.links or []),
        "language": user.language if user.language in LANGUAGES else language,
    }, **kwargs)
    form.interests.choices = [(name, name) for name in interests]
    return form


class PhotoForm(ClubForm):
    photo = FileField(_l("Photo"), validators=[FileRequired(_l("Choose a photo to upload."))],
                      description=_l("JPEG, PNG or WebP, up to 5 MB. We keep a copy of at most 800×800 pixels "
                                     "and remove location and camera data."),
                      render_kw={"accept": "image/jpeg,image/png,image/webp"})


class DirectoryForm(ClubForm):
    listed = RadioField(_l("In the members’ directory"),
                        choices=[("hidden", _l("Hidden: other members do not see me at all")),
                                 ("listed", _l("Listed: members see my name, the year I joined, and what I tick below"))],
                        validators=[InputRequired(_l("Choose listed or hidden."))])
    fields = CheckboxesField(_l("Also show"), choices=list(privacy.FIELDS.items()))


class RulesForm(ClubForm):
    version_id = IdField(validators=[DataRequired()])
    accept = BooleanField(_l("I have read the club rules and accept them"),
                          validators=[DataRequired(_l("Please tick the box to accept the rules."))])


def _topic_choices():
    return list(request_states.TOPICS.items())


class RequestForm(ClubForm):
    topic = RadioField(_l("What is it about?"), choices=_topic_choices(),
                       validators=[InputRequired(_l("Choose what your request is about."))])
    body = TextAreaField(_l("Your message"), validators=[DataRequired(_l("Please write a message.")),
                                                         Length(max=MAX_BODY)],
                         description=_l("For an introduction, say whom you would like to meet and why."))


class MessageForm(ClubForm):
    body = TextAreaField(_l("Your message"), validators=[DataRequired(_l("Please write a message.")),
                                                         Length(max=MAX_BODY)])


class StaffAnswerForm(ClubForm):
    body = TextAreaField(_l("Your answer"), validators=[DataRequired(_l("Please write an answer.")),
                                                        Length(max=MAX_BODY)])
    state = SelectField(_l("Then mark the request"),
                        choices=[("", _l("In progress (or leave as it is)")),
                                 (request_states.DONE, request_states.LABELS[request_states.DONE])],
                        validators=[Optional()])


class StateForm(ClubForm):
    state = SelectField(_l("State"), choices=list(request_states.LABELS.items()))


class HelloForm(ClubForm):
    body = TextAreaField(_l("Your message"), validators=[DataRequired(_l("Please write a few words.")),
                                                         Length(max=MAX_BODY)],
                         description=_l("A line or two: what brought you here, what you hope to find."))


class CuratorChangeForm(ClubForm):
    reason = TextAreaField(_l("Why (optional)"), validators=[Optional(), Length(max=MAX_BODY)],
                           description=_l("Only the club’s admins read this, not your curator."))


class ResolveForm(ClubForm):
    pass


class LeaveForm(ClubForm):
    reason = TextAreaField(_l("Would you tell us why? (optional)"), validators=[Optional(), Length(max=500)])
    confirm = BooleanField(_l("Yes, cancel my membership"),
                           validators=[DataRequired(_l("Please tick the box to confirm."))])


class DeleteForm(ClubForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Please enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    confirm = BooleanField(_l("I understand that this cannot be undone"),
                           validators=[DataRequired(_l("Please tick the box to confirm."))])
