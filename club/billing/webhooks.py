"""Stripe's webhook: verify the signature, skip what was seen, re-read the object from Stripe and act on it.

Each handler reads Stripe first and returns what to do inside the write transaction, so a slow
Stripe never holds the database's write lock.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from club.billing import dunning, subscriptions
from club.billing.gateway import BadSignature, Invoice, StripeGateway, WebhookEvent
from club.billing.setup import gateway
from club.core import audit
from club.core.database import begin_write
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.extensions import db
from club.membership import states
from club.models.base import utcnow
from club.models.billing import Payment, StripeEvent
from club.models.membership import Membership

log = logging.getLogger("club.billing")


@dataclass(frozen=True)
class WebhookResult:
    status: int
    outcome: str


class UnknownCustomer(Exception):
    """The event is about a customer or subscription no membership knows (yet): Stripe should retry."""


def _fetch_checkout(gw: StripeGateway, event: WebhookEvent) -> Callable[[], None]:
    outcome = gw.checkout_outcome(event.object_id or "")
    subscription = gw.subscription(outcome.subscription_id) if outcome.subscription_id else None
    if subscription is not None and outcome.customer_id and outcome.status == "complete":
        # The member paid again: no older subscription may keep charging or take over.
        subscriptions.retire_other_subscriptions(gw, outcome.customer_id, subscription)

    def apply() -> None:
        ref = outcome.client_reference_id
        membership = subscriptions.membership_for(subscription=subscription, customer_id=outcome.customer_id,
                                                  membership_id=int(ref) if ref and ref.isdigit() else None)
        if membership is None:
            raise UnknownCustomer(f"checkout session {outcome.id} matches no membership")
        if outcome.customer_id and not membership.stripe_customer_id:
            membership.stripe_customer_id = outcome.customer_id
        if subscription is not None:
            subscriptions.apply_subscription(membership, subscription, reason="checkout completed", adopt=True)
    return apply


def _fetch_subscription(gw: StripeGateway, event: WebhookEvent) -> Callable[[], None]:
    subscription = gw.subscription(event.object_id or "")

    def apply() -> None:
        membership = subscriptions.membership_for(subscription=subscription)
        if membership is None:
            raise UnknownCustomer(f"subscription {subscription.id} matches no membership")
        subscriptions.apply_subscription(membership, subscription, reason=f"stripe {event.type}")
    return apply


def _fetch_invoice(gw: StripeGateway, event: WebhookEvent) -> Callable[[], None]:
    invoice = gw.invoice(event.object_id or "")
    subscription = gw.subscription(invoice.subscription_id) if invoice.subscription_id else None
    paid = event.type == "invoice.paid"
    failed = event.type == "invoice.payment_failed"

    def apply() -> None:
        membership = subscriptions.membership_for(subscription=subscription, customer_id=invoice.customer_id)
        if membership is None:
            raise UnknownCustomer(f"invoice {invoice.id} matches no membership")
        current = subscription is None or subscriptions.follows(membership, subscription)
        if paid:
            _record_stripe_payment(membership, invoice)
        elif failed:
            audit.record("billing.payment_failed", subject=membership, invoice=invoice.id,
                         amount_cents=invoice.amount_paid, currency=invoice.currency)
        if subscription is not None:
            subscriptions.apply_subscription(membership, subscription,
                                             reason="invoice paid" if paid else f"stripe {event.type}")
        if not current or subscriptions.is_closed(membership):
            return  # about an old subscription, or a deleted account: nobody to tell
        if failed and membership.state == states.PAST_DUE:
            dunning.mail_payment_failed(membership)
        elif event.type == "invoice.payment_action_required":
            audit.record("billing.payment_action_required", subject=membership, invoice=invoice.id)
            send_mail(membership.user.email, _l("Please confirm your membership payment"),
                      "billing_payment_action_required", language=membership.user.language,
                      name=membership.user.full_name, amount_cents=invoice.amount_due, currency=invoice.currency,
                      link=public_url_for("billing.billing"))
    return apply


def _record_stripe_payment(membership: Membership, invoice: Invoice) -> None:
    exists = db.session.scalar(db.select(Payment.id).where(Payment.stripe_invoice_id == invoice.id))
    if exists is not None or invoice.amount_paid <= 0:
        return
    deleted_at = membership.user.deleted_at
    if deleted_at is not None and (invoice.paid_at is None or invoice.paid_at > deleted_at):
        # Stripe's customer was deleted with the account; money taken afterwards is for a refund.
        log.error("invoice %s was paid after membership %s's account was deleted: refund it in Stripe",
                  invoice.id, membership.id)
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
    "invoice.payment_action_required": _fetch_invoice,
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
    except UnknownCustomer as exc:
        # Not stored as processed: Stripe retries (for days), by when checkout may have told us.
        db.session.rollback()
        log.warning("webhook %s (%s) not processed: %s", event.id, event.type, exc)
        return WebhookResult(500, "unknown customer")
    except Exception:
        db.session.rollback()
        log.exception("webhook %s (%s) failed; Stripe will retry", event.id, event.type)
        return WebhookResult(500, "failed")
    return WebhookResult(200, "processed")
