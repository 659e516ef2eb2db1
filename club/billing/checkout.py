"""Paying by card: start a Stripe Checkout, confirm it on return, open Stripe's customer portal."""
from __future__ import annotations

import logging

from club.billing import rules
from club.billing.catalogue import INITIATION_LOOKUP_KEY, LOOKUP_KEYS, fees
from club.billing.errors import BillingError
from club.billing.gateway import GatewayError
from club.billing.setup import gateway, require_gateway
from club.billing.subscriptions import apply_subscription, locked_membership
from club.core import audit
from club.core.database import begin_write
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.user import User

log = logging.getLogger("club.billing")


def start_checkout(user: User, plan: str, *, success_url: str, cancel_url: str) -> str:
    """Create (or reuse) the Stripe customer and a Checkout Session; returns the URL to send them to.

    The idempotency key names the membership, plan, prices and the hour, so a double submit
    gets the same session back from Stripe instead of a second one.
    """
    if plan not in rules.PLANS:
        raise BillingError("Choose the monthly or the annual plan.")
    membership = membership_of(user)
    if membership is None or not rules.checkout_allowed(membership.state):
        raise BillingError("Your membership does not need a payment now.")
    gw = require_gateway()
    current_fees = fees()
    wanted = [LOOKUP_KEYS[plan]]
    initiation = rules.needs_initiation(membership.initiation_paid, int(current_fees["initiation"]))
    if initiation:
        wanted.append(INITIATION_LOOKUP_KEY)
    try:
        prices = gw.prices_by_lookup_key(wanted)
        missing = [key for key in wanted if key not in prices]
        if missing:
            log.error("Stripe prices missing for %s: run `flask --app wsgi stripe-sync`", missing)
            raise BillingError("Membership prices are not set up in Stripe yet. Nothing was charged; "
                               "please try again later.")
        if not membership.stripe_customer_id:
            membership.stripe_customer_id = gw.create_customer(membership_id=membership.id, email=user.email,
                                                               name=user.full_name)
            # Keep the customer even if the session below fails: the next attempt reuses it.
            db.session.commit()
        price = prices[LOOKUP_KEYS[plan]]
        initiation_price = prices[INITIATION_LOOKUP_KEY].id if initiation else None
        hour = utcnow().strftime("%Y%m%d%H")
        link = gw.create_checkout(
            customer_id=membership.stripe_customer_id, price_id=price.id, initiation_price_id=initiation_price,
            membership_id=membership.id, success_url=success_url, cancel_url=cancel_url,
            idempotency_key=f"checkout-{membership.id}-{plan}-{price.id}-{initiation_price or 'none'}-{hour}",
        )
    except GatewayError as exc:
        db.session.rollback()
        log.warning("checkout for membership %s failed: %s", membership.id, exc)
        raise BillingError(exc.user_message) from exc
    audit.record("billing.checkout_started", actor=user, subject=membership, plan=plan,
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
    except GatewayError as exc:
        log.info("could not confirm checkout %s yet: %s", session_id, exc)
        return False
    begin_write()
    membership = locked_membership(membership.id)
    apply_subscription(membership, subscription, reason="checkout completed")
    db.session.commit()
    return states.has_access(membership.state)


def portal_url(user: User, return_url: str) -> str:
    """Stripe's customer portal for this member (card, invoices, renewal)."""
    membership = membership_of(user)
    if membership is None or not membership.stripe_customer_id:
        raise BillingError("You have no card payments to manage yet.")
    gw = require_gateway()
    try:
        return gw.portal_url(customer_id=membership.stripe_customer_id, return_url=return_url)
    except GatewayError as exc:
        raise BillingError(exc.user_message) from exc
