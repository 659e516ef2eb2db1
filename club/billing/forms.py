"""Forms for paying, and for the admin's offline payments, comps and suspensions."""
from __future__ import annotations

from decimal import Decimal

from club.core.forms import ClubForm
from wtforms import BooleanField, DateField, DecimalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError


class PlanForm(ClubForm):
    """The member's choice on /billing: which plan (when there are several) and how often to pay."""

    plan_id = RadioField("Plan", coerce=int, validate_choice=False,
                         validators=[Optional()])
    plan = RadioField("Pay", choices=[("monthly", "Monthly"), ("annual", "Annual")],
                      validators=[InputRequired(message="Choose the monthly or the annual plan.")])


def _amount(label: str, *, required: bool = True) -> DecimalField:
    checks = [InputRequired(message=f"Enter the {label.lower()}.")] if required else [Optional()]
    return DecimalField(label, places=2, validators=[
        *checks, NumberRange(min=Decimal("0.01") if required else Decimal("0"), max=Decimal("1000000"),
                             message="Enter an amount above zero." if required else "Enter zero or more.")])


class PlanAdminForm(ClubForm):
    """The admin's plan: name, what it is for, and its prices in the club's currency."""

    name = StringField("Name", description="e.g. Individual, Couple, Under 30.",
                       validators=[DataRequired(message="Give the plan a name."), Length(max=80)])
    description = StringField("Short description", description="One line members see when choosing.",
                              validators=[Length(max=240)])
    monthly = _amount("Monthly price")
    annual = _amount("Annual price")
    initiation = _amount("Initiation fee", required=False)

    def cents(self, field: DecimalField, precision: int) -> int:
        return int((Decimal(field.data or 0) * (10 ** precision)).to_integral_value())


class BillingSettingsForm(ClubForm):
    """How the club takes money: its currency, promotion codes at Checkout, and instructions for paying directly."""

    currency = StringField("Currency", description="The ISO code of the one currency the club charges in, e.g. EUR, GBP, CHF.",
                           validators=[DataRequired(message="Enter a currency code such as EUR."), Length(min=3, max=3)])
    promotion_codes = BooleanField("Allow promotion codes at Checkout",
                                   description="Codes are made in Stripe's dashboard; members enter them on Stripe's page.")
    payment_instructions = TextAreaField(
        "How to pay the club directly", validators=[Length(max=2000)],
        description="Shown to approved applicants and members who pay outside Stripe: bank details, who to contact.")

    def validate_currency(self, field):
        from babel.numbers import get_currency_name

        code = (field.data or "").strip().upper()
        if not code.isalpha() or get_currency_name(code, locale="en") == code:
            raise ValidationError("That is not an ISO currency code; try EUR, GBP or CHF.")
        field.data = code


class MovePlanForm(ClubForm):
    plan_id = SelectField("Move to", coerce=int, validate_choice=False,
                          validators=[InputRequired(message="Choose the plan to move them to.")])


class OfflinePaymentForm(ClubForm):
    amount = DecimalField("Amount received", places=2,
                          validators=[InputRequired(message="Enter the amount received."),
                                      NumberRange(min=Decimal("0.01"), message="Enter an amount above zero.")])
    paid_on = DateField("Received on", validators=[InputRequired(message="Enter the day the money arrived.")])
    reference = StringField("Reference", description="Bank transfer or receipt reference.",
                            validators=[Length(max=120)])
    period_start = DateField("Covers from", validators=[InputRequired(message="Enter the first day it pays for.")])
    period_end = DateField("Covers until", validators=[InputRequired(message="Enter the last day it pays for.")])
    includes_initiation = BooleanField("Includes the initiation fee")

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("The period must end on or after the day it starts.")

    @property
    def amount_cents(self) -> int:
        return int((self.amount.data * 100).to_integral_value())


class ComplimentaryForm(ClubForm):
    ends_on = DateField("Ends on", validators=[Optional()], description="Leave empty for no end date.")
    reason = TextAreaField("Reason", validators=[DataRequired(message="Say why, for the audit log."),
                                                 Length(max=500)])


class SuspendForm(ClubForm):
    reason = TextAreaField("Reason", validators=[DataRequired(message="Say why, for the audit log."),
                                                 Length(max=500)])
