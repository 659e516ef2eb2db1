"""Forms for paying, and for the admin's offline payments, comps and suspensions."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l, lazy_pgettext
from wtforms import BooleanField, DateField, DecimalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from club.billing.labels import PLANS
from club.core.forms import ClubForm


class PlanForm(ClubForm):
    """The member's choice on /billing: which plan (when there are several) and how often to pay."""

    plan_id = RadioField(_l("Plan"), coerce=int, validate_choice=False,
                         validators=[Optional()])
    plan = RadioField(_l("Pay"), choices=list(PLANS.items()),
                      validators=[InputRequired(message=_l("Choose the monthly or the annual plan."))])


def _amount(label, missing=None) -> DecimalField:
    """A price; ``missing`` is the message when it is required and left empty (None: optional)."""
    checks = [InputRequired(message=missing)] if missing else [Optional()]
    return DecimalField(label, places=2, validators=[
        *checks, NumberRange(min=Decimal("0.01") if missing else Decimal("0"), max=Decimal("1000000"),
                             message=_l("Enter an amount above zero.") if missing else _l("Enter zero or more."))])


class PlanAdminForm(ClubForm):
    """The admin's plan: name, what it is for, and its prices in the club's currency."""

    name = StringField(lazy_pgettext("plan", "Name"), description=_l("e.g. Individual, Couple, Under 30."),
                       validators=[DataRequired(message=_l("Give the plan a name.")), Length(max=80)])
    description = StringField(_l("Short description"), description=_l("One line members see when choosing."),
                              validators=[Length(max=240)])
    monthly = _amount(_l("Monthly price"), _l("Enter the monthly price."))
    annual = _amount(_l("Annual price"), _l("Enter the annual price."))
    initiation = _amount(_l("Initiation fee"))

    def cents(self, field: DecimalField, precision: int) -> int:
        return int((Decimal(field.data or 0) * (10 ** precision)).to_integral_value())


class BillingSettingsForm(ClubForm):
    """How the club takes money: its currency, promotion codes at Checkout, and instructions for paying directly."""

    currency = StringField(_l("Currency"), description=_l("The ISO code of the one currency the club charges in, "
                                                          "e.g. EUR, GBP, CHF."),
                           validators=[DataRequired(message=_l("Enter a currency code such as EUR.")),
                                       Length(min=3, max=3)])
    promotion_codes = BooleanField(_l("Allow promotion codes at Checkout"), description=_l(
        "Codes are made in Stripe's dashboard; members enter them on Stripe's page."))
    payment_instructions = TextAreaField(
        _l("How to pay the club directly"), validators=[Length(max=2000)],
        description=_l("Shown to approved applicants and members who pay outside Stripe: bank details, who to contact."))

    def validate_currency(self, field):
        from babel.numbers import get_currency_name

        code = (field.data or "").strip().upper()
        if not code.isalpha() or get_currency_name(code, locale="en") == code:
            raise ValidationError(_l("That is not an ISO currency code; try EUR, GBP or CHF."))
        field.data = code


class MovePlanForm(ClubForm):
    plan_id = SelectField(_l("Move to"), coerce=int, validate_choice=False,
                          validators=[InputRequired(message=_l("Choose the plan to move them to."))])


class OfflinePaymentForm(ClubForm):
    amount = DecimalField(_l("Amount received"), places=2,
                          validators=[InputRequired(message=_l("Enter the amount received.")),
                                      NumberRange(min=Decimal("0.01"), message=_l("Enter an amount above zero."))])
    paid_on = DateField(_l("Received on"), validators=[InputRequired(message=_l("Enter the day the money arrived."))])
    reference = StringField(_l("Reference"), description=_l("Bank transfer or receipt reference."),
                            validators=[Length(max=120)])
    period_start = DateField(_l("Covers from"), validators=[InputRequired(message=_l("Enter the first day it pays for."))])
    period_end = DateField(_l("Covers until"), validators=[InputRequired(message=_l("Enter the last day it pays for."))])
    includes_initiation = BooleanField(_l("Includes the initiation fee"))

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError(_l("The period must end on or after the day it starts."))

    @property
    def amount_cents(self) -> int:
        return int((self.amount.data * 100).to_integral_value())


class ComplimentaryForm(ClubForm):
    ends_on = DateField(_l("Ends on"), validators=[Optional()], description=_l("Leave empty for no end date."))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Say why, for the audit log.")),
                                                     Length(max=500)])


class SuspendForm(ClubForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Say why, for the audit log.")),
                                                     Length(max=500)])
