"""What a member sees of their billing: the summary on their home page and the /billing page's data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from club.billing import labels, rules
from club.billing.catalogue import active_plans, currency, lookup_key, stripe_prices
from club.billing.dates import club_date
from club.billing.expiry import expire_if_due
from club.billing.gateway import GatewayError
from club.billing.setup import gateway, stripe_enabled
from club.core import settings
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.billing import Payment, Plan
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
    plan_label: str = ""  # "Monthly" / "Annual", in the reader's language
    kind_label: str = ""  # how it is paid ("Paid to the club directly"), in the reader's language


def _summary(membership: Membership | None) -> BillingSummary:
    if membership is None:
        return BillingSummary("", _("No membership"), None, None, None, None, _("See your application"), "/application")
    state, kind = membership.state, membership.kind
    period_end = club_date(membership.current_period_end)
    renews_on = period_end if state == states.ACTIVE and kind == "stripe" else None
    ends_on = period_end if state == states.CANCELLING or (
        state == states.ACTIVE and kind in ("offline", "complimentary")) else None
    if state == states.PENDING_PAYMENT:
        action = _("Choose a plan") if stripe_enabled() else _("How to pay")
    elif state == states.PAST_DUE:
        action = _("Update your card") if kind == "stripe" else _("Settle your payment")
    elif state in (states.LAPSED, states.ENDED):
        action = _("Renew your membership")
    elif state == states.ACTIVE and kind == "stripe":
        action = _("Manage payment")
    else:
        action = _("See your membership")
    return BillingSummary(state, labels.state_label(state), kind, membership.plan, renews_on, ends_on,
                          action, "/billing", str(labels.PLANS.get(membership.plan or "", "")),
                          str(labels.KINDS.get(kind or "", "")))


def billing_summary(user: User) -> BillingSummary:
    """The member's billing at a glance, for their home page (one query)."""
    return _summary(membership_of(user))


@dataclass(frozen=True)
class PlanOffer:
    """A plan as the member is offered it, at the prices they would pay."""

    id: int
    name: str
    description: str
    monthly: int
    annual: int
    initiation: int  # 0 when there is none, or the member paid it before
    currency: str

    @property
    def first_monthly(self) -> int:
        """The amount due to join on the monthly plan: the first month and the initiation fee."""
        return rules.first_payment(self.monthly, self.initiation)

    @property
    def first_annual(self) -> int:
        return rules.first_payment(self.annual, self.initiation)


@dataclass(frozen=True)
class BillingPage:
    membership: Membership
    summary: BillingSummary
    stripe_enabled: bool
    can_checkout: bool
    offers: list[PlanOffer] | None  # None: Stripe's prices could not be read just now
    plan_name: str | None
    payment_instructions: str
    payments: list[Payment]

    @property
    def reference(self) -> str:
        """What to quote with a transfer (the offline path)."""
        return rules.payment_reference(self.membership.id)

    @property
    def needs_initiation(self) -> bool:
        return any(offer.initiation for offer in self.offers or [])


def plan_offers(membership: Membership, *, from_stripe: bool) -> list[PlanOffer] | None:
    """The active plans at their prices: Stripe's when the member pays there (exactly what Checkout
    charges), else the club's own amounts (the offline path). None when Stripe cannot say."""
    plans = active_plans()
    money = currency()
    amounts = {plan.id: (plan.monthly_cents, plan.annual_cents, plan.initiation_cents) for plan in plans}
    gw = gateway() if from_stripe else None
    if gw is not None:
        try:
            prices = stripe_prices(gw, plans)
        except GatewayError:
            return None
        amounts = {}
        for plan in plans:
            monthly, annual = prices.get(lookup_key(plan, "monthly")), prices.get(lookup_key(plan, "annual"))
            if monthly is None or annual is None:
                continue  # not in Stripe yet: not offered
            initiation = prices.get(lookup_key(plan, "initiation"))
            amounts[plan.id] = (monthly.unit_amount or 0, annual.unit_amount or 0,
                                (initiation.unit_amount or 0) if initiation else 0)
            money = monthly.currency
        if plans and not amounts:
            return None
    return [PlanOffer(plan.id, plan.name, plan.description, amounts[plan.id][0], amounts[plan.id][1],
                      amounts[plan.id][2] if rules.needs_initiation(membership.initiation_paid, amounts[plan.id][2])
                      else 0, money)
            for plan in plans if plan.id in amounts]


def billing_page(user: User) -> BillingPage | None:
    """What /billing shows. A past-due member whose grace ended is moved to lapsed right here."""
    membership = membership_of(user)
    if membership is None:
        return None
    if expire_if_due(membership, utcnow()):
        db.session.commit()
    payments = list(db.session.scalars(db.select(Payment).where(Payment.membership_id == membership.id)
                                       .order_by(Payment.paid_on.desc(), Payment.id.desc()).limit(24)))
    can_checkout = stripe_enabled() and rules.checkout_allowed(membership.state)
    offers_needed = can_checkout or membership.state == states.PENDING_PAYMENT or not stripe_enabled()
    plan = db.session.get(Plan, membership.plan_id) if membership.plan_id else None
    return BillingPage(
        membership=membership, summary=_summary(membership), stripe_enabled=stripe_enabled(),
        can_checkout=can_checkout,
        offers=plan_offers(membership, from_stripe=can_checkout) if offers_needed else [],
        plan_name=plan.name if plan else None,
        payment_instructions=str(settings.get("payment_instructions") or ""), payments=payments,
    )
