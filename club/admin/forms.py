from club.core.forms import ClubForm
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, ValidationError

from club.core.forms import CheckboxesField, IdField
from club.models.user import STAFF_ROLES

ROLE_CHOICES = [(r, r.capitalize()) for r in STAFF_ROLES]


class StaffAccountForm(ClubForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[DataRequired(), Email()])
    roles = CheckboxesField("Roles", choices=ROLE_CHOICES, validators=[DataRequired(message="Choose at least one role.")])


class GrantRoleForm(ClubForm):
    email = EmailField("Email of the account", validators=[DataRequired(), Email()])
    role = SelectField("Role", choices=ROLE_CHOICES)


class RevokeRoleForm(ClubForm):
    user_id = IdField(validators=[DataRequired()])
    role = HiddenField(validators=[DataRequired()])


def _valid_timezone(form, field):
    # A choice among the zones this machine knows: ZoneInfo() itself would open a file named after
    # whatever was typed (a 500-character name raised OSError).
    from zoneinfo import available_timezones

    if field.data not in available_timezones():
        raise ValidationError("Use a time zone name such as Europe/London.")


class ClubSettingsForm(ClubForm):
    club_name = StringField("Club name", validators=[DataRequired(), Length(max=80)])
    mission = TextAreaField("Mission", validators=[DataRequired(), Length(max=2000)],
                            description="Shown on the public landing page.")
    timezone = StringField("Time zone", validators=[DataRequired(), _valid_timezone],
                           description="Event times are shown in this zone, e.g. Europe/London.")
    invite_quota = IntegerField("Open invites per member per quarter", validators=[NumberRange(0, 50)])
    required_endorsements = IntegerField("Endorsements needed before a decision", validators=[NumberRange(1, 10)])
    curator_capacity = IntegerField("Default curator capacity (members)", validators=[NumberRange(1, 1000)])
    grace_days = IntegerField("Grace period after a failed payment (days)", validators=[NumberRange(0, 60)])
    retention_days = IntegerField("Keep data of rejected and withdrawn applicants (days)",
                                  validators=[NumberRange(1, 3650)])
    former_member_retention_days = IntegerField(
        "Keep a former member’s data after their membership ended (days)", validators=[NumberRange(1, 3650)],
        description="Then their profile, photo, requests and notes are erased; payments and the audit log stay.")

    FIELDS = ("club_name", "mission", "timezone", "invite_quota", "required_endorsements",
              "curator_capacity", "grace_days", "retention_days", "former_member_retention_days")


class RulesForm(ClubForm):
    body = TextAreaField("Club rules", validators=[DataRequired(), Length(min=20, max=20000)],
                         description="Publishing a new version asks every member to accept it again.")


class RetryMailForm(ClubForm):
    """Send one message of the outbox again (``/admin/mail``)."""

    mail_id = IdField(validators=[DataRequired()])
