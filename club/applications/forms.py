from club.core.forms import ClubForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from club.core.forms import CheckboxesField
from club.applications import rules
from club.core.forms import NewPasswordField

MIN_MOTIVATION = 80
MIN_CONTRIBUTION = 80
MIN_STATEMENT = 20


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class InviteForm(ClubForm):
    email = EmailField("Their email", filters=[_strip], validators=[DataRequired(message="Give the email of the person you invite."),
                                                  Email(message="That does not look like an email address."),
                                                  Length(max=254)],
                       render_kw={"autocomplete": "off"})
    note = TextAreaField("A personal note (optional)", validators=[Optional(), Length(max=1000)],
                         description="Included in the invitation, and kept as your endorsement of them.")


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
        raise ValidationError("Name at least one language you speak.")
    if len(languages) > rules.MAX_LANGUAGES:
        raise ValidationError(f"Name at most {rules.MAX_LANGUAGES} languages.")
    field.languages = languages


class ApplicationForm(ClubForm):
    full_name = StringField("Full name", validators=[DataRequired(message="Give your full name."), Length(max=200)],
                            render_kw={"autocomplete": "name"})
    city = StringField("City", validators=[DataRequired(message="Tell us the city you live in."), Length(max=120)],
                       render_kw={"autocomplete": "address-level2"})
    occupation = StringField("Occupation", validators=[DataRequired(message="Tell us what you do."), Length(max=160)],
                             render_kw={"autocomplete": "organization-title"})
    company = StringField("Company or organisation", validators=[Optional(), Length(max=160)],
                          description="Optional.", render_kw={"autocomplete": "organization"})
    links = TextAreaField("Links", validators=[_links], render_kw={"rows": 3},
                          description=f"One per line, up to {rules.MAX_LINKS}: a website, a profile, your work.")
    interests = CheckboxesField("Interests", validators=[DataRequired(message="Choose at least one interest.")])
    languages = StringField("Languages", validators=[_languages, Length(max=300)],
                            description="Separated by commas, e.g. English, French.")
    motivation = TextAreaField(
        "Why do you want to join?",
        validators=[InputRequired(message="Tell us why you want to join."),
                    Length(min=MIN_MOTIVATION, max=4000,
                           message=f"Write at least {MIN_MOTIVATION} characters (at most 4,000).")],
        description=f"At least {MIN_MOTIVATION} characters.")
    contribution = TextAreaField(
        "What would you bring to the club?",
        validators=[InputRequired(message="Tell us what you would bring."),
                    Length(min=MIN_CONTRIBUTION, max=4000,
                           message=f"Write at least {MIN_CONTRIBUTION} characters (at most 4,000).")],
        description=f"At least {MIN_CONTRIBUTION} characters.")
    rules_version = HiddenField()
    accept_rules = BooleanField("I have read the club rules above and accept them.",
                                validators=[DataRequired(message="Please accept the club rules to apply.")])
    password = NewPasswordField("Choose a password")
    confirm = PasswordField("Repeat the password",
                            validators=[DataRequired(message="Repeat the password."),
                                        EqualTo("password", message="The two passwords differ.")],
                            render_kw={"autocomplete": "new-password"})

    def set_interests(self, names: list[str]) -> None:
        self.interests.choices = [(n, n.capitalize()) for n in names]


class AskEndorsementForm(ClubForm):
    email = EmailField("Member's email", filters=[_strip], validators=[DataRequired(message="Give the member's email."),
                                                     Email(message="That does not look like an email address."),
                                                     Length(max=254)])


class WithdrawForm(ClubForm):
    pass


class EndorseForm(ClubForm):
    statement = TextAreaField("How do you know them?", validators=[Optional(), Length(max=2000)],
                              description="A sentence or two for the curators. Not shown to the applicant.")
    # Set by the button pressed: <button name="answer" value="endorse|decline">.
    answer = StringField(validators=[AnyOf(["endorse", "decline"], message="Choose to endorse or decline.")])

    def validate_statement(self, field):
        if self.answer.data == "endorse" and len((field.data or "").strip()) < MIN_STATEMENT:
            raise ValidationError(f"Say in a sentence how you know them (at least {MIN_STATEMENT} characters).")


class InterestForm(ClubForm):
    name = StringField("New interest", validators=[DataRequired(message="Give the interest a name."), Length(max=60)])


class RemoveInterestForm(ClubForm):
    pass
