"""Billing use cases: paying through Stripe, webhooks, offline payments, comps, suspensions.

Every membership state change goes through ``club.membership.changes.change_membership_state``
(it audits and tells listeners, e.g. events release a lapsed member's bookings). Stripe is
reached only through ``club.billing.gateway``; calls to Stripe are made before a write
transaction starts, so a slow Stripe never holds the database's write lock.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask.sansio.app import App
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from club.billing import rules
from club.billing.gateway import (BadSignature, GatewayError, Invoice, StripeGateway, Subscription,
                                  WebhookEvent)
from club.core import audit, settings
from club.core.database import begin_write
from club.core.mail import send_mail
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.membership.changes import change_membership_state
from club.models.base import utcnow
from club.models.membership import Membership
from club.models.user import User
from club.models.billing import Payment, StripeEvent

log = logging.getLogger("club.billing")

PRODUCT_ID = "club_membership"
LOOKUP_KEYS = {"monthly": "club_membership_monthly", "annual": "club_membership_annual"}
INITIATION_LOOKUP_KEY = "club_initiation"


class BillingError(Exception):
    """A billing request that cannot be done; the message is meant for the person who asked."""


# Configuration --------------------------------------------------------------------------------
def check_stripe_config(app: "Flask | App") -> None:
    """Refuse to start with a live Stripe key: this app is only ever run in Stripe's test mode."""
    key = app.config.get("STRIPE_SECRET_KEY") or ""
    if key and not rules.is_test_mode_key(key):
        raise RuntimeError(
            "STRIPE_SECRET_KEY is not a Stripe test-mode key. The club app accepts only test keys "
            "(sk_test_… or rk_test_…); unset STRIPE_SECRET_KEY to run without Stripe."
        )
    if key and not app.config.get("STRIPE_WEBHOOK_SECRET"):
        log.warning("STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: "
                    "payments will not be confirmed until webhooks are configured.")


def gateway() -> StripeGateway | None:
    """The Stripe gateway, or None when the club runs without Stripe (offline payments only)."""
    cfg = current_app.config
    key = cfg.get("STRIPE_SECRET_KEY") or ""
    if not key:
        return None
    cache_key = (key, cfg.get("STRIPE_API_BASE") or "", cfg.get("STRIPE_MAX_NETWORK_RETRIES", 2))
    cached = current_app.extensions.get("club_billing_gateway")
    if cached is None or cached[0] != cache_key:
        cached = (cache_key, StripeGateway(key, api_base=cache_key[1], max_network_retries=cache_key[2]))
        current_app.extensions["club_billing_gateway"] = cached
    return cached[1]


def stripe_enabled() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def _require_gateway() -> StripeGateway:
    gw = gateway()
    if gw is None:
        raise BillingError("Payment by card is not set up for this club; the club arranges payment with you.")
    return gw


# Reading --------------------------------------------------------------------------------------
def _club_date(value: datetime | None) -> date | None:
    return value.astimezone(ZoneInfo(settings.get("timezone"))).date() if value else None


def end_of_day(day: date) -> datetime:
    """An offline period covers its last day in full, in the club's time zone."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.get("timezone")))
    return local.astimezone(timezone.utc)


def fees() -> dict[str, int | str]:
    return {"monthly": int(settings.get("fee_monthly_cents")), "annual": int(settings.get("fee_annual_cents")),
            "initiation": int(settings.get("fee_initiation_cents")), "currency": str(settings.get("currency"))}


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
    period_end = _club_date(membership.current_period_end)
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
    if _expire_if_due(membership, utcnow()):
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


# Checkout -------------------------------------------------------------------------------------
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
    gw = _require_gateway()
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
    membership = _locked(membership.id)
    _apply_subscription(membership, subscription, reason="checkout completed")
    db.session.commit()
    return states.has_access(membership.state)


def portal_url(user: User, return_url: str) -> str:
    membership = membership_of(user)
    if membership is None or not membership.stripe_customer_id:
        raise BillingError("You have no card payments to manage yet.")
    gw = _require_gateway()
    try:
        return gw.portal_url(customer_id=membership.stripe_customer_id, return_url=return_url)
    except GatewayError as exc:
        raise BillingError(exc.user_message) from exc


# Applying what Stripe says --------------------------------------------------------------------
def _locked(membership_id: int) -> Membership:
    """Re-read a membership inside the write transaction (row lock on PostgreSQL)."""
    return db.session.scalars(db.select(Membership).where(Membership.id == membership_id)
                              .with_for_update().execution_options(populate_existing=True)).one()


def _apply_subscription(membership: Membership, sub: Subscription, *, reason: str,
                        actor: User | None = None) -> tuple[str, str] | None:
    """Bring a membership in line with its subscription as Stripe reports it now.

    Returns (old, new) when the state changed. A subscription that is not the membership's
    current one only counts while Stripe still collects for it, so a late event about an old,
    cancelled subscription cannot end a member who has since paid again.
    """
    if membership.stripe_subscription_id and membership.stripe_subscription_id != sub.id:
        if sub.status not in rules.LIVE_STATUSES:
            log.info("ignoring old subscription %s for membership %s", sub.id, membership.id)
            return None
    membership.stripe_subscription_id = sub.id
    membership.stripe_customer_id = membership.stripe_customer_id or sub.customer_id
    membership.kind = "stripe"
    if sub.interval in rules.INTERVAL_PLANS:
        membership.plan = rules.INTERVAL_PLANS[sub.interval]
    if sub.current_period_end is not None:
        membership.current_period_end = sub.current_period_end
    now = utcnow()
    suspended = membership.state == states.SUSPENDED
    current = (membership.suspended_from or states.PENDING_PAYMENT) if suspended else membership.state
    decision = rules.decide(rules.SubscriptionFacts(sub.status, sub.cancel_at_period_end, sub.current_period_end),
                            current=current, grace_until=membership.grace_until, now=now,
                            grace_days=int(settings.get("grace_days")))
    membership.grace_until = decision.grace_until
    if sub.includes_initiation and states.has_access(decision.state) and not membership.initiation_paid:
        membership.initiation_paid = True
    if suspended:
        # A suspension is the admin's call; payments only change what reinstating returns to.
        if membership.suspended_from != decision.state:
            membership.suspended_from = decision.state
            audit.record("billing.suspended_state_updated", actor=actor, subject=membership,
                         subscription=sub.id, state=decision.state)
        return None
    old = membership.state
    if not states.can_move(old, decision.state) and states.can_move(old, states.ACTIVE) \
            and states.can_move(states.ACTIVE, decision.state):
        # e.g. paid and cancelled before we heard of it: the member was active in between.
        change_membership_state(membership, states.ACTIVE, actor=actor, reason=reason, subscription=sub.id)
    if not states.can_move(membership.state, decision.state):
        log.warning("membership %s: Stripe status %s implies %s, not allowed from %s", membership.id,
                    sub.status, decision.state, old)
        return None
    change_membership_state(membership, decision.state, actor=actor, reason=reason,
                            subscription=sub.id, stripe_status=sub.status)
    return (old, decision.state) if old != decision.state else None


def _membership_for(*, subscription: Subscription | None = None, customer_id: str | None = None,
                    membership_id: int | None = None) -> Membership | None:
    query = db.select(Membership).with_for_update().execution_options(populate_existing=True)
    if subscription is not None:
        found = db.session.scalars(query.where(Membership.stripe_subscription_id == subscription.id)).first()
        if found is not None:
            return found
        membership_id = membership_id or subscription.membership_id
        customer_id = customer_id or subscription.customer_id
    if membership_id is not None:
        found = db.session.scalars(query.where(Membership.id == membership_id)).first()
        if found is not None and (not found.stripe_customer_id or not customer_id
                                  or found.stripe_customer_id == customer_id):
            return found
    if customer_id:
        return db.session.scalars(query.where(Membership.stripe_customer_id == customer_id)).first()
    return None


# Webhooks -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WebhookResult:
    status: int
    outcome: str


def _fetch_checkout(gw: StripeGateway, event: WebhookEvent) -> Callable[[], None]:
    outcome = gw.checkout_outcome(event.object_id or "")
    subscription = gw.subscription(outcome.subscription_id) if outcome.subscription_id else None

    def apply() -> None:
        ref = outcome.client_reference_id
        membership = _membership_for(subscription=subscription, customer_id=outcome.customer_id,
                                     membership_id=int(ref) if ref and ref.isdigit() else None)
        if membership is None:
            log.warning("checkout session %s matches no membership", outcome.id)
            return
        if outcome.customer_id and not membership.stripe_customer_id:
            membership.stripe_customer_id = outcome.customer_id
        if subscription is not None:
            _apply_subscription(membership, subscription, reason="checkout completed")
    return apply


def _fetch_subscription(gw: StripeGateway, event: WebhookEvent) -> Callable[[], None]:
    subscription = gw.subscription(event.object_id or "")

    def apply() -> None:
        membership = _membership_for(subscription=subscription)
        if membership is None:
            log.warning("subscription %s matches no membership", subscription.id)
            return
        _apply_subscription(membership, subscription, reason=f"stripe {event.type}")
    return apply


def _fetch_invoice(gw: StripeGateway, event: WebhookEvent) -> Callable[[], None]:
    invoice = gw.invoice(event.object_id or "")
    subscription = gw.subscription(invoice.subscription_id) if invoice.subscription_id else None
    paid = event.type == "invoice.paid"

    def apply() -> None:
        membership = _membership_for(subscription=subscription, customer_id=invoice.customer_id)
        if membership is None:
            log.warning("invoice %s matches no membership", invoice.id)
            return
        if paid:
            _record_stripe_payment(membership, invoice)
        else:
            audit.record("billing.payment_failed", subject=membership, invoice=invoice.id,
                         amount_cents=invoice.amount_paid, currency=invoice.currency)
        if subscription is not None:
            _apply_subscription(membership, subscription,
                                reason="invoice paid" if paid else "invoice payment failed")
        if not paid and membership.state == states.PAST_DUE:
            send_mail(membership.user.email, "Your membership payment did not go through", "billing_payment_failed",
                      name=membership.user.full_name, grace_until=membership.grace_until)
    return apply


def _record_stripe_payment(membership: Membership, invoice: Invoice) -> None:
    exists = db.session.scalar(db.select(Payment.id).where(Payment.stripe_invoice_id == invoice.id))
    if exists is not None or invoice.amount_paid <= 0:
        return
    payment = Payment(
        membership_id=membership.id, source="stripe", amount_cents=invoice.amount_paid, currency=invoice.currency,
        paid_on=(invoice.paid_at or utcnow()).date(), reference=invoice.number or invoice.id,
        period_start=invoice.period_start.date() if invoice.period_start else None,
        period_end=invoice.period_end.date() if invoice.period_end else None, stripe_invoice_id=invoice.id,
    )
    db.session.add(payment)
    db.session.flush()
    audit.record("billing.payment_received", subject=membership, payment_id=payment.id, source="stripe",
                 invoice=invoice.id, amount_cents=invoice.amount_paid, currency=invoice.currency)


HANDLERS: dict[str, Callable[[StripeGateway, WebhookEvent], Callable[[], None]]] = {
    "checkout.session.completed": _fetch_checkout,
    "customer.subscription.created": _fetch_subscription,
    "customer.subscription.updated": _fetch_subscription,
    "customer.subscription.deleted": _fetch_subscription,
    "invoice.paid": _fetch_invoice,
    "invoice.payment_failed": _fetch_invoice,
}


def _already_processed(event_id: str) -> bool:
    return db.session.scalar(db.select(StripeEvent.id).where(StripeEvent.id == event_id)) is not None


def handle_webhook(payload: bytes, signature: str | None) -> WebhookResult:
    """Verify, de-duplicate and act on one Stripe event.

    The event id is stored in the same transaction as the event's effect: a redelivery finds
    it and does nothing, and a failure rolls both back and answers 500 so Stripe tries again.
    """
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    gw = gateway()
    if not secret or gw is None:
        return WebhookResult(400, "webhooks are not configured")
    try:
        event = StripeGateway.parse_event(payload, signature, secret)
    except BadSignature as exc:
        log.warning("rejected a webhook: %s", exc)
        return WebhookResult(400, "bad signature")
    handler = HANDLERS.get(event.type)
    if handler is None:
        return WebhookResult(200, "ignored")
    seen = _already_processed(event.id)
    db.session.rollback()  # hold no transaction open while Stripe answers
    if seen:
        return WebhookResult(200, "duplicate")
    try:
        apply = handler(gw, event)  # reads Stripe before taking the write lock
        begin_write()
        if _already_processed(event.id):
            db.session.rollback()
            return WebhookResult(200, "duplicate")
        apply()
        db.session.add(StripeEvent(id=event.id, type=event.type))
        db.session.commit()
    except IntegrityError:
        # The same event, delivered twice at once: the other delivery won.
        db.session.rollback()
        return WebhookResult(200, "duplicate")
    except Exception:
        db.session.rollback()
        log.exception("webhook %s (%s) failed; Stripe will retry", event.id, event.type)
        return WebhookResult(500, "failed")
    return WebhookResult(200, "processed")


# Repair and expiry ----------------------------------------------------------------------------
def _expire_if_due(membership: Membership, now: datetime) -> str | None:
    """Move a membership whose time is up (grace ended, offline period over). No commit."""
    if rules.grace_expired(membership.state, membership.grace_until, now):
        change_membership_state(membership, states.LAPSED, reason="grace period ended",
                                grace_until=membership.grace_until)
        return states.LAPSED
    target = rules.offline_period_over(membership.kind, membership.state, membership.current_period_end, now)
    if target is not None:
        change_membership_state(membership, target, reason=f"{membership.kind} period ended",
                                period_end=membership.current_period_end)
        return target
    return None


def expire_due(now: datetime | None = None) -> list[str]:
    """Lapse past-due members whose grace ended and close offline/complimentary periods that ended."""
    now = now or utcnow()
    begin_write()
    due = db.session.scalars(
        db.select(Membership).options(joinedload(Membership.user)).where(db.or_(
            db.and_(Membership.state == states.PAST_DUE, Membership.grace_until <= now),
            db.and_(Membership.kind.in_(("offline", "complimentary")),
                    Membership.state.in_((states.ACTIVE, states.CANCELLING)),
                    Membership.current_period_end <= now),
        )).order_by(Membership.id).with_for_update(of=Membership)
    ).all()
    lines = []
    for membership in due:
        old = membership.state
        new = _expire_if_due(membership, now)
        if new:
            lines.append(f"membership {membership.id} ({membership.user.email}): {old} -> {new}")
    db.session.commit()
    return lines


def sync_billing() -> list[str]:
    """Re-read every Stripe subscription and repair drift, then expire what is due. For a nightly cron."""
    lines: list[str] = []
    gw = gateway()
    if gw is not None:
        ids = db.session.execute(db.select(Membership.id, Membership.stripe_subscription_id)
                                 .where(Membership.stripe_subscription_id.is_not(None))
                                 .order_by(Membership.id)).all()
        db.session.rollback()
        for membership_id, subscription_id in ids:
            try:
                sub = gw.subscription(subscription_id)
            except GatewayError as exc:
                lines.append(f"membership {membership_id}: could not read {subscription_id} ({exc})")
                continue
            begin_write()
            membership = _locked(membership_id)
            changed = _apply_subscription(membership, sub, reason="sync-billing repair")
            db.session.commit()
            if changed:
                lines.append(f"membership {membership_id} ({subscription_id}): {changed[0]} -> {changed[1]}")
    lines.extend(expire_due())
    return lines


def stripe_sync() -> list[str]:
    """Create or update the Stripe product and prices from the club's fees, by lookup key.

    A price whose amount changed is replaced (Stripe prices are immutable): the new one takes
    over the lookup key and the old one is archived. Running it again changes nothing.
    """
    gw = _require_gateway()
    lines = []
    name = f"{settings.get('club_name')} membership"
    product = gw.product(PRODUCT_ID)
    if product is None:
        gw.create_product(PRODUCT_ID, name)
        lines.append(f"product {PRODUCT_ID}: created")
    elif product != (name, True):
        gw.update_product(PRODUCT_ID, name)
        lines.append(f"product {PRODUCT_ID}: updated")
    else:
        lines.append(f"product {PRODUCT_ID}: unchanged")
    current_fees = fees()
    currency = str(current_fees["currency"]).lower()
    wanted: list[tuple[str, int, str | None]] = [
        (LOOKUP_KEYS["monthly"], int(current_fees["monthly"]), "month"),
        (LOOKUP_KEYS["annual"], int(current_fees["annual"]), "year"),
    ]
    if int(current_fees["initiation"]) > 0:
        wanted.append((INITIATION_LOOKUP_KEY, int(current_fees["initiation"]), None))
    existing = gw.prices_by_lookup_key([key for key, _amount, _interval in wanted])
    for key, amount, interval in wanted:
        price = existing.get(key)
        if price is not None and (price.unit_amount, price.currency, price.interval, price.product_id) == (
                amount, currency, interval, PRODUCT_ID):
            lines.append(f"price {key}: unchanged ({price.id})")
            continue
        new_id = gw.create_price(product_id=PRODUCT_ID, lookup_key=key, unit_amount=amount, currency=currency,
                                 interval=interval,
                                 idempotency_key=f"price-{key}-{amount}-{currency}-{price.id if price else 'new'}")
        if price is not None:
            gw.archive_price(price.id)
            lines.append(f"price {key}: replaced {price.id} with {new_id} ({amount} {currency})")
        else:
            lines.append(f"price {key}: created {new_id} ({amount} {currency})")
    audit.record("billing.stripe_catalogue_synced", changes=[line for line in lines if "unchanged" not in line])
    db.session.commit()
    return lines


# Admin: offline payments, comps, suspensions --------------------------------------------------
def memberships_for_admin() -> tuple[list[Membership], list[Membership]]:
    """(needing attention, everyone else), each with its person loaded in the same query."""
    rows = db.session.scalars(db.select(Membership).options(joinedload(Membership.user))
                              .order_by(Membership.updated_at.desc()).limit(500)).all()
    attention_states = (states.PENDING_PAYMENT, states.PAST_DUE, states.LAPSED)
    attention = [m for m in rows if m.state in attention_states]
    return attention, [m for m in rows if m.state not in attention_states]


def membership_detail(membership_id: int) -> tuple[Membership, list[Payment]] | None:
    membership = db.session.scalars(db.select(Membership).options(joinedload(Membership.user))
                                    .where(Membership.id == membership_id)).first()
    if membership is None:
        return None
    payments = list(db.session.scalars(db.select(Payment).options(joinedload(Payment.recorded_by))
                                       .where(Payment.membership_id == membership_id)
                                       .order_by(Payment.paid_on.desc(), Payment.id.desc())))
    return membership, payments


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
        raise BillingError("Enter the amount received.")
    if period_end < period_start:
        raise BillingError("The period must end on or after the day it starts.")
    begin_write()
    membership = _locked(membership_id)
    if _has_live_stripe_subscription(membership):
        raise BillingError("This member pays by card through Stripe; cancel that subscription first.")
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
        raise BillingError("The end date must be in the future.")
    begin_write()
    membership = _locked(membership_id)
    if _has_live_stripe_subscription(membership):
        raise BillingError("This member pays by card through Stripe; cancel that subscription first.")
    membership.kind = "complimentary"
    membership.current_period_end = end_of_day(ends_on) if ends_on else None
    membership.grace_until = None
    audit.record("billing.complimentary_granted", actor=actor, subject=membership, ends_on=ends_on, reason=reason)
    _activate(membership, actor=actor, reason=reason or "complimentary membership")
    db.session.commit()
    return membership


def suspend(membership_id: int, *, reason: str, actor: User) -> Membership:
    begin_write()
    membership = _locked(membership_id)
    if membership.state == states.SUSPENDED:
        raise BillingError("This membership is already suspended.")
    if not states.can_move(membership.state, states.SUSPENDED):
        raise BillingError("An ended membership cannot be suspended.")
    membership.suspended_from = membership.state
    change_membership_state(membership, states.SUSPENDED, actor=actor, reason=reason)
    membership.user.end_all_sessions()  # a suspended member is signed out everywhere
    db.session.commit()
    return membership


def reinstate(membership_id: int, *, reason: str, actor: User) -> Membership:
    begin_write()
    membership = _locked(membership_id)
    if membership.state != states.SUSPENDED:
        raise BillingError("This membership is not suspended.")
    target = membership.suspended_from or states.PENDING_PAYMENT
    membership.suspended_from = None
    change_membership_state(membership, target, actor=actor, reason=reason)
    _expire_if_due(membership, utcnow())  # time may have run out while suspended
    db.session.commit()
    return membership


# For other features ---------------------------------------------------------------------------
def cancel_membership(user: User, *, actor: User | None, reason: str = "") -> str:
    """The member leaves. Returns a sentence saying what happens next. Commits.

    Stripe: cancel at period end (access until then; the webhook confirms). Offline or
    complimentary: ends now, or at the end of the paid period / end date if one is set.
    """
    membership = membership_of(user)
    if membership is None or membership.state in (states.ENDED, states.SUSPENDED):
        raise BillingError("There is no membership to cancel.")
    if membership.state == states.CANCELLING:
        day = _club_date(membership.current_period_end)
        return f"Your membership already ends on {day:%d %B %Y}." if day else "Your membership is already ending."
    if membership.kind == "stripe" and membership.stripe_subscription_id and membership.state != states.LAPSED:
        gw = _require_gateway()
        try:
            sub = gw.set_cancel_at_period_end(membership.stripe_subscription_id, True,
                                              idempotency_key=f"cancel-{membership.stripe_subscription_id}")
        except GatewayError as exc:
            raise BillingError(exc.user_message) from exc
        begin_write()
        membership = _locked(membership.id)
        audit.record("billing.cancel_requested", actor=actor, subject=membership, subscription=sub.id, reason=reason)
        _apply_subscription(membership, sub, actor=actor, reason=reason or "member cancelled")
        db.session.commit()
        day = _club_date(membership.current_period_end)
        if membership.state == states.CANCELLING and day:
            return f"Your membership ends on {day:%d %B %Y}; you keep full access until then."
        # Past due: Stripe stops renewing, and the membership ends with the unpaid period.
        return f"Your membership will not renew{f' and ends on {day:%d %B %Y}' if day else ''}."
    begin_write()
    membership = _locked(membership.id)
    now = utcnow()
    if (membership.state == states.ACTIVE and membership.current_period_end is not None
            and membership.current_period_end > now):
        change_membership_state(membership, states.CANCELLING, actor=actor, reason=reason or "member cancelled")
        sentence = f"Your membership ends on {_club_date(membership.current_period_end):%d %B %Y}; " \
                   "you keep full access until then."
    else:
        change_membership_state(membership, states.ENDED, actor=actor, reason=reason or "member cancelled")
        sentence = "Your membership has ended."
    db.session.commit()
    return sentence
