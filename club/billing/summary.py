"""What a member sees of their billing: the summary on their home page and the /billing page's data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from club.billing import rules
from club.billing.catalogue import fees
from club.billing.dates import club_date
from club.billing.expiry import expire_if_due
from club.billing.setup import stripe_enabled
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.billing import Payment
from club.models.membership import Membership
from club.models.user import User


@dataclass(frozen=True)
class BillingSummary:
    state: str
    state_label: str
    kind: str | None
    plan: str | None
    renews_on: date | None
    ends_on: date | None
    action_label: str
    action_url: str


def _summary(membership: Membership | None) -> BillingSummary:
    if membership is None:
        return BillingSummary("", "No membership", None, None, None, None, "See your application", "/application")
    state, kind = membership.state, membership.kind
    period_end = club_date(membership.current_period_end)
    renews_on = period_end if state == states.ACTIVE and kind == "stripe" else None
    ends_on = period_end if state == states.CANCELLING or (
        state == states.ACTIVE and kind in ("offline", "complimentary")) else None
    if state == states.PENDING_PAYMENT:
        action = "Choose a plan" if stripe_enabled() else "How to pay"
    elif state == states.PAST_DUE:
        action = "Update your card" if kind == "stripe" else "Settle your payment"
    elif state in (states.LAPSED, states.ENDED):
        action = "Renew your membership"
    elif state == states.ACTIVE and kind == "stripe":
        action = "Manage payment"
    else:
        action = "See your membership"
    return BillingSummary(state, states.LABELS.get(state, state), kind, membership.plan, renews_on, ends_on,
                          action, "/billing")


def billing_summary(user: User) -> BillingSummary:
    """The member's billing at a glance, for their home page (one query)."""
    return _summary(membership_of(user))


@dataclass(frozen=True)
class BillingPage:
    membership: Membership
    summary: BillingSummary
    stripe_enabled: bool
    can_checkout: bool
    needs_initiation: bool
    fees: dict[str, int | str]
    payments: list[Payment]


def billing_page(user: User) -> BillingPage | None:
    """What /billing shows. A past-due member whose grace ended is moved to lapsed right here."""
    membership = membership_of(user)
    if membership is None:
        return None
    if expire_if_due(membership, utcnow()):
        db.session.commit()
    payments = list(db.session.scalars(db.select(Payment).where(Payment.membership_id == membership.id)
                                       .order_by(Payment.paid_on.desc(), Payment.id.desc()).limit(24)))
    current_fees = fees()
    return BillingPage(
        membership=membership, summary=_summary(membership), stripe_enabled=stripe_enabled(),
        can_checkout=stripe_enabled() and rules.checkout_allowed(membership.state),
        needs_initiation=rules.needs_initiation(membership.initiation_paid, int(current_fees["initiation"])),
        fees=current_fees, payments=payments,
    )
