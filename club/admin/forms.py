from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, ValidationError

from club.core.forms import CheckboxesField
from club.models.user import STAFF_ROLES

ROLE_CHOICES = [(r, r.capitalize()) for r in STAFF_ROLES]


class StaffAccountForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[DataRequired(), Email()])
    roles = CheckboxesField("Roles", choices=ROLE_CHOICES, validators=[DataRequired(message="Choose at least one role.")])


class GrantRoleForm(FlaskForm):
    email = EmailField("Email of the account", validators=[DataRequired(), Email()])
    role = SelectField("Role", choices=ROLE_CHOICES)


class RevokeRoleForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired()])
    role = HiddenField(validators=[DataRequired()])


def _valid_timezone(form, field):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("Use a time zone name such as Europe/London.") from exc


class ClubSettingsForm(FlaskForm):
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

    FIELDS = ("club_name", "mission", "timezone", "invite_quota", "required_endorsements",
              "curator_capacity", "grace_days", "retention_days")


class RulesForm(FlaskForm):
    body = TextAreaField("Club rules", validators=[DataRequired(), Length(min=20, max=20000)],
                         description="Publishing a new version asks every member to accept it again.")
