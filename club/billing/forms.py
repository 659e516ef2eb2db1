"""Forms for paying, and for the admin's offline payments, comps and suspensions."""
from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError


class PlanForm(FlaskForm):
    plan = RadioField("Plan", choices=[("monthly", "Monthly"), ("annual", "Annual")],
                      validators=[InputRequired(message="Choose the monthly or the annual plan.")])


class OfflinePaymentForm(FlaskForm):
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


class ComplimentaryForm(FlaskForm):
    ends_on = DateField("Ends on", validators=[Optional()], description="Leave empty for no end date.")
    reason = TextAreaField("Reason", validators=[DataRequired(message="Say why, for the audit log."),
                                                 Length(max=500)])


class SuspendForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired(message="Say why, for the audit log."),
                                                 Length(max=500)])
