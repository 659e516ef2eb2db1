from flask_babel import gettext as _, lazy_gettext as _l, lazy_ngettext, ngettext
from club.core.forms import ClubForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from club.core.forms import CheckboxesField
from club.applications import rules
from club.core.forms import NewPasswordField

MIN_MOTIVATION = 80
MIN_CONTRIBUTION = 80
MIN_STATEMENT = 20


def _at_least(num: int):
    return lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.", num)


def _too_short_or_long(num: int):
    return lazy_ngettext("Write at least %(num)d character (at most 4,000).",
                         "Write at least %(num)d characters (at most 4,000).", num)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class InviteForm(ClubForm):
    email = EmailField(_l("Their email"), filters=[_strip],
                       validators=[DataRequired(message=_l("Give the email of the person you invite.")),
                                   Email(message=_l("That does not look like an email address.")), Length(max=254)],
                       render_kw={"autocomplete": "off"})
    note = TextAreaField(_l("A personal note (optional)"), validators=[Optional(), Length(max=1000)],
                         description=_l("Included in the invitation, and kept as your endorsement of them."))


class RevokeForm(ClubForm):
    pass


def _links(form, field):
    links, problems = rules.parse_links(field.data)
    if problems:
        raise ValidationError(" ".join(problems))
    field.links = links


def _languages(form, field):
    languages = rules.parse_languages(field.data)
    if not languages:
        raise ValidationError(_("Name at least one language you speak."))
    if len(languages) > rules.MAX_LANGUAGES:
        raise ValidationError(ngettext("Name at most %(num)d language.", "Name at most %(num)d languages.",
                                       rules.MAX_LANGUAGES))
    field.languages = languages


class ApplicationForm(ClubForm):
    full_name = StringField(_l("Full name"),
                            validators=[DataRequired(message=_l("Give your full name.")), Length(max=200)],
                            render_kw={"autocomplete": "name"})
    city = StringField(_l("City"), validators=[DataRequired(message=_l("Tell us the city you live in.")),
                                               Length(max=120)],
                       render_kw={"autocomplete": "address-level2"})
    occupation = StringField(_l("Occupation"),
                             validators=[DataRequired(message=_l("Tell us what you do.")), Length(max=160)],
                             render_kw={"autocomplete": "organization-title"})
    company = StringField(_l("Company or organisation"), validators=[Optional(), Length(max=160)],
                          description=_l("Optional."), render_kw={"autocomplete": "organization"})
    links = TextAreaField(_l("Links"), validators=[_links], render_kw={"rows": 3},
                          description=_l("One per line, up to %(num)d: a website, a profile, your work.",
                                         num=rules.MAX_LINKS))
    interests = CheckboxesField(_l("Interests"), validators=[DataRequired(message=_l("Choose at least one interest."))])
    languages = StringField(_l("Languages"), validators=[_languages, Length(max=300)],
                            description=_l("Separated by commas, e.g. English, French."))
    motivation = TextAreaField(
        _l("Why do you want to join?"),
        validators=[InputRequired(message=_l("Tell us why you want to join.")),
                    Length(min=MIN_MOTIVATION, max=4000, message=_too_short_or_long(MIN_MOTIVATION))],
        description=_at_least(MIN_MOTIVATION))
    contribution = TextAreaField(
        _l("What would you bring to the club?"),
        validators=[InputRequired(message=_l("Tell us what you would bring.")),
                    Length(min=MIN_CONTRIBUTION, max=4000, message=_too_short_or_long(MIN_CONTRIBUTION))],
        description=_at_least(MIN_CONTRIBUTION))
    rules_version = HiddenField()
    accept_rules = BooleanField(_l("I have read the club rules above and accept them."),
                                validators=[DataRequired(message=_l("Please accept the club rules to apply."))])
    password = NewPasswordField(_l("Choose a password"))
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(message=_l("Repeat the password.")),
                                        EqualTo("password", message=_l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})

    def set_interests(self, names: list[str]) -> None:
        self.interests.choices = [(n, n) for n in names]  # as the club wrote them, like everywhere else


class AskEndorsementForm(ClubForm):
    email = EmailField(_l("Member's email"), filters=[_strip],
                       validators=[DataRequired(message=_l("Give the member's email.")),
                                   Email(message=_l("That does not look like an email address.")), Length(max=254)])


class WithdrawForm(ClubForm):
    pass


class EndorseForm(ClubForm):
    statement = TextAreaField(_l("How do you know them?"), validators=[Optional(), Length(max=2000)],
                              description=_l("A sentence or two for the curators. Not shown to the applicant."))
    # Set by the button pressed: <button name="answer" value="endorse|decline">.
    answer = StringField(validators=[AnyOf(["endorse", "decline"], message=_l("Choose to endorse or decline."))])

    def validate_statement(self, field):
        if self.answer.data == "endorse" and len((field.data or "").strip()) < MIN_STATEMENT:
            raise ValidationError(ngettext("Say in a sentence how you know them (at least %(num)d character).",
                                           "Say in a sentence how you know them (at least %(num)d characters).",
                                           MIN_STATEMENT))


class InterestForm(ClubForm):
    name = StringField(_l("New interest"),
                       validators=[DataRequired(message=_l("Give the interest a name.")), Length(max=60)])


class RemoveInterestForm(ClubForm):
    pass
