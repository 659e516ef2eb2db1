"""Paying outside Stripe: an admin records money received (bank transfer, cash) or grants a complimentary membership."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from club.billing.dates import end_of_day
from club.billing.errors import BillingError
from club.billing.subscriptions import locked_membership
from club.core import audit, settings
from club.core.database import begin_write
from club.extensions import db
from club.membership import states
from club.membership.changes import change_membership_state
from club.membership.reasons import COMPLIMENTARY, record_reason
from club.models.base import utcnow
from club.models.billing import Payment
from club.models.membership import Membership
from club.models.user import User


def _has_live_stripe_subscription(membership: Membership) -> bool:
    return membership.kind == "stripe" and bool(membership.stripe_subscription_id) and membership.state in (
        states.ACTIVE, states.PAST_DUE, states.CANCELLING)


def _activate(membership: Membership, *, actor: User, reason: str, **details: object) -> None:
    if membership.state == states.SUSPENDED:
        membership.suspended_from = states.ACTIVE
    else:
        change_membership_state(membership, states.ACTIVE, actor=actor, reason=reason, **details)


def record_offline_payment(membership_id: int, *, amount_cents: int, paid_on: date, reference: str,
                           period_start: date, period_end: date, includes_initiation: bool, actor: User) -> Payment:
    """An admin records money the club received outside Stripe; it pays for the period given."""
    if amount_cents <= 0:
        raise BillingError(_("Enter the amount received."))
    if period_end < period_start:
        raise BillingError(_("The period must end on or after the day it starts."))
    begin_write()
    membership = locked_membership(membership_id)
    if _has_live_stripe_subscription(membership):
        raise BillingError(_("This member pays by card through Stripe; cancel that subscription first."))
    reference = reference.strip()
    duplicate = db.session.scalars(db.select(Payment).where(
        Payment.membership_id == membership.id, Payment.source == "offline", Payment.amount_cents == amount_cents,
        Payment.paid_on == paid_on, Payment.reference == reference, Payment.period_end == period_end)).first()
    if duplicate is not None:  # the same form sent twice
        db.session.rollback()
        return duplicate
    payment = Payment(membership_id=membership.id, source="offline", amount_cents=amount_cents,
                      currency=str(settings.get("currency")), paid_on=paid_on, reference=reference,
                      period_start=period_start, period_end=period_end, recorded_by_id=actor.id)
    db.session.add(payment)
    db.session.flush()
    audit.record("billing.payment_received", actor=actor, subject=membership, payment_id=payment.id,
                 source="offline", amount_cents=amount_cents, currency=payment.currency,
                 period_start=period_start, period_end=period_end)
    ends_at = end_of_day(period_end)
    if includes_initiation:
        membership.initiation_paid = True
    if ends_at > utcnow():
        membership.kind = "offline"
        membership.current_period_end = ends_at
        membership.grace_until = None
        _activate(membership, actor=actor, reason="offline payment", payment_id=payment.id)
    db.session.commit()
    return payment


def grant_complimentary(membership_id: int, *, ends_on: date | None, reason: str, actor: User) -> Membership:
    """An admin gives a membership free of charge, open-ended or until a date."""
    if ends_on is not None and end_of_day(ends_on) <= utcnow():
        raise BillingError(_("The end date must be in the future."))
    begin_write()
    membership = locked_membership(membership_id)
    if _has_live_stripe_subscription(membership):
        raise BillingError(_("This member pays by card through Stripe; cancel that subscription first."))
    membership.kind = "complimentary"
    membership.current_period_end = end_of_day(ends_on) if ends_on else None
    membership.grace_until = None
    # The admin's words live on their own record (erased with the member); the audit log keeps its id.
    written = record_reason(membership, COMPLIMENTARY, reason, actor)
    audit.record("billing.complimentary_granted", actor=actor, subject=membership, ends_on=ends_on,
                 reason_id=written.id)
    _activate(membership, actor=actor, reason="complimentary membership", reason_id=written.id)
    db.session.commit()
    return membership
