"""Paying by card: start a Stripe Checkout, confirm it on return, open Stripe's customer portal."""
from __future__ import annotations

import logging

from flask_babel import gettext as _

from club.billing import rules
from club.billing.catalogue import active_plans, lookup_key
from club.billing.errors import BillingError
from club.billing.gateway import GatewayError, StripeGateway, checkout_prices
from club.billing.setup import gateway, require_gateway
from club.billing.subscriptions import apply_subscription, locked_membership, retire_other_subscriptions
from club.core import audit, settings
from club.core.database import begin_write
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.billing import Plan
from club.models.user import User

log = logging.getLogger("club.billing")


def _open_session(gw: StripeGateway, customer_id: str, prices: str) -> tuple[str | None, str]:
    """One open Checkout Session per membership: reuse the open one for the same prices, expire
    any other. Returns (its URL or None, the newest session's id for the next idempotency key)."""
    reuse = None
    recent = gw.recent_checkouts(customer_id)
    for session in recent:
        if session.status != "open":
            continue
        if reuse is None and session.prices == prices and session.url:
            reuse = session.url
        else:
            gw.expire_checkout(session.id)
    return reuse, recent[0].id if recent else "first"


def _refuse_if_subscribed(gw: StripeGateway, membership_id: int, customer_id: str) -> None:
    """No Checkout while a subscription is paid for: bring the membership in line and say so."""
    paying = [sub for sub in gw.customer_subscriptions(customer_id) if sub.status in rules.PAYING_STATUSES]
    if not paying:
        return
    begin_write()
    apply_subscription(locked_membership(membership_id), paying[0], reason="checkout refused: already paying",
                       adopt=True)
    db.session.commit()
    raise BillingError(_("You already have a subscription that is paid for; your membership has been brought "
                         "up to date. Nothing was charged."))


def _plan_offered(plan_id: int | None) -> Plan:
    """The active plan chosen; with one plan on offer, choosing it is implied."""
    offered = active_plans()
    if plan_id is None and len(offered) == 1:
        return offered[0]
    chosen = next((plan for plan in offered if plan.id == plan_id), None)
    if chosen is None:
        raise BillingError(_("Choose one of the club's plans.") if offered else
                           _("The club has not set out its plans yet; please try again later."))
    return chosen


def start_checkout(user: User, plan: str, *, success_url: str, cancel_url: str, plan_id: int | None = None) -> str:
    """Create (or reuse) the Stripe customer and a Checkout Session; returns the URL to send them to.

    At most one session is open per membership: a double submit gets the open one back (or, at
    the same instant, the same one from Stripe through the idempotency key, which names the
    prices and the newest earlier session), a different choice expires the old one, and none is
    made while a subscription is paid for.
    """
    if plan not in rules.PLANS:
        raise BillingError(_("Choose the monthly or the annual plan."))
    membership = membership_of(user)
    if membership is None or not rules.checkout_allowed(membership.state):
        raise BillingError(_("Your membership does not need a payment now."))
    gw = require_gateway()
    chosen = _plan_offered(plan_id)
    recurring_key, initiation_key = lookup_key(chosen, plan), lookup_key(chosen, "initiation")
    try:
        # Stripe's prices decide what is charged, as they decide what /billing shows.
        prices = gw.prices_by_lookup_key([recurring_key, initiation_key])
        initiation_fee = prices.get(initiation_key)
        initiation = rules.needs_initiation(membership.initiation_paid,
                                            (initiation_fee.unit_amount or 0) if initiation_fee else 0)
        missing = [key for key in [recurring_key] if key not in prices]
        if missing:
            log.error("Stripe prices missing for %s: run `flask --app wsgi stripe-sync`", missing)
            raise BillingError(_("Membership prices are not set up in Stripe yet. Nothing was charged; "
                                 "please try again later."))
        price = prices[recurring_key]
        initiation_price = initiation_fee.id if initiation and initiation_fee else None
        charged = checkout_prices(price.id, initiation_price)
        since = "first"
        if membership.stripe_customer_id:
            _refuse_if_subscribed(gw, membership.id, membership.stripe_customer_id)
            reuse, since = _open_session(gw, membership.stripe_customer_id, charged)
            if reuse:
                return reuse
        else:
            membership.stripe_customer_id = gw.create_customer(membership_id=membership.id, email=user.email,
                                                               name=user.full_name)
            # Keep the customer even if the session below fails: the next attempt reuses it.
            db.session.commit()
        promotion_codes = bool(settings.get("promotion_codes"))
        link = gw.create_checkout(
            customer_id=membership.stripe_customer_id, price_id=price.id, initiation_price_id=initiation_price,
            membership_id=membership.id, success_url=success_url, cancel_url=cancel_url,
            allow_promotion_codes=promotion_codes, plan_id=chosen.id,
            idempotency_key=f"checkout-{membership.id}-{plan}-plan{chosen.id}-{charged}-{'promo' if promotion_codes else 'nopromo'}"
                            f"-after-{since}",
        )
    except GatewayError as exc:
        db.session.rollback()
        log.warning("checkout for membership %s failed: %s", membership.id, exc)
        raise BillingError(exc.user_message) from exc
    audit.record("billing.checkout_started", actor=user, subject=membership, plan=plan, plan_id=chosen.id,
                 initiation=bool(initiation_price), checkout_session=link.id)
    db.session.commit()
    return link.url


def confirm_checkout(user: User, session_id: str) -> bool:
    """After Stripe's redirect: True once the membership is paid for.

    The session id in the URL is only a hint: we read the session and its subscription back
    from Stripe, and only a session made for this member counts.
    """
    membership = membership_of(user)
    gw = gateway()
    if membership is None:
        return False
    if states.has_access(membership.state) or gw is None or not session_id.startswith("cs_"):
        return states.has_access(membership.state)
    try:
        outcome = gw.checkout_outcome(session_id)
        if outcome.client_reference_id != str(membership.id) or outcome.status != "complete" \
                or not outcome.subscription_id:
            return False
        subscription = gw.subscription(outcome.subscription_id)
        if outcome.customer_id:
            retire_other_subscriptions(gw, outcome.customer_id, subscription)
    except GatewayError as exc:
        log.info("could not confirm checkout %s yet: %s", session_id, exc)
        return False
    begin_write()
    membership = locked_membership(membership.id)
    apply_subscription(membership, subscription, reason="checkout completed", adopt=True)
    db.session.commit()
    return states.has_access(membership.state)


def portal_url(user: User, return_url: str) -> str:
    """Stripe's customer portal for this member (card, invoices, renewal)."""
    membership = membership_of(user)
    if membership is None or not membership.stripe_customer_id:
        raise BillingError(_("You have no card payments to manage yet."))
    gw = require_gateway()
    try:
        return gw.portal_url(customer_id=membership.stripe_customer_id, return_url=return_url)
    except GatewayError as exc:
        raise BillingError(exc.user_message) from exc
