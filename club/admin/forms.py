from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, ValidationError

from club.core.forms import CheckboxesField, ClubForm, IdField
from club.models.user import ROLE_ADMIN, ROLE_CURATOR, STAFF_ROLES

# What each staff role is called on a page (stored codes stay English).
ROLE_LABELS = {ROLE_CURATOR: lazy_pgettext("staff role", "Curator"), ROLE_ADMIN: lazy_pgettext("staff role", "Admin")}
ROLE_CHOICES = [(r, ROLE_LABELS.get(r, r)) for r in STAFF_ROLES]


def role_label(role: str):
    """A staff role as a person reads it, in their language."""
    return ROLE_LABELS.get(role, role)


class StaffAccountForm(ClubForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])
    roles = CheckboxesField(_l("Roles"), choices=ROLE_CHOICES, validators=[DataRequired(message=_l("Choose at least one role."))])


class GrantRoleForm(ClubForm):
    email = EmailField(_l("Email of the account"), validators=[DataRequired(), Email()])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class RevokeRoleForm(ClubForm):
    user_id = IdField(validators=[DataRequired()])
    role = HiddenField(validators=[DataRequired()])


def _valid_timezone(form, field):
    # A choice among the zones this machine knows: ZoneInfo() itself would open a file named after
    # whatever was typed (a 500-character name raised OSError).
    from zoneinfo import available_timezones

    if field.data not in available_timezones():
        raise ValidationError(_l("Use a time zone name such as Europe/London."))


class ClubSettingsForm(ClubForm):
    club_name = StringField(_l("Club name"), validators=[DataRequired(), Length(max=80)])
    mission = TextAreaField(_l("Mission"), validators=[DataRequired(), Length(max=2000)],
                            description=_l("Shown on the public landing page."))
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), _valid_timezone],
                           description=_l("Event times are shown in this zone, e.g. Europe/London."))
    invite_quota = IntegerField(_l("Open invites per member per quarter"), validators=[NumberRange(0, 50)])
    required_endorsements = IntegerField(_l("Endorsements needed before a decision"), validators=[NumberRange(1, 10)])
    curator_capacity = IntegerField(_l("Default curator capacity (members)"), validators=[NumberRange(1, 1000)])
    grace_days = IntegerField(_l("Grace period after a failed payment (days)"), validators=[NumberRange(0, 60)])
    retention_days = IntegerField(_l("Keep data of rejected and withdrawn applicants (days)"),
                                  validators=[NumberRange(1, 3650)])
    former_member_retention_days = IntegerField(
        _l("Keep a former member’s data after their membership ended (days)"), validators=[NumberRange(1, 3650)],
        description=_l("Then their profile, photo, requests and notes are erased; payments and the audit log stay."))

    FIELDS = ("club_name", "mission", "timezone", "invite_quota", "required_endorsements",
              "curator_capacity", "grace_days", "retention_days", "former_member_retention_days")


class RulesForm(ClubForm):
    body = TextAreaField(_l("Club rules"), validators=[DataRequired(), Length(min=20, max=20000)],
                         description=_l("Publishing a new version asks every member to accept it again."))


class RetryMailForm(ClubForm):
    """Send one message of the outbox again (``/admin/mail``)."""

    mail_id = IdField(validators=[DataRequired()])
