"""The one place that talks to Stripe.

Everything else in the app sees the small dataclasses below, never a Stripe object: the SDK's
objects change shape between API versions (SDK 16: an invoice's subscription sits under
``invoice.parent.subscription_details``, period dates moved to the subscription items), and
keeping that knowledge here keeps the rest of billing stable and testable.

Requests go through ``StripeClient`` and its ``v1`` services, typed against the SDK's params so
mypy (``make check``) catches a misspelt or misplaced parameter.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, ParamSpec, TypeVar

import stripe
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from stripe._base_address import BaseAddresses
from stripe.params import (CustomerCreateParams, PriceCreateParams, PriceListParams, PriceUpdateParams,
                           ProductCreateParams, ProductUpdateParams, SubscriptionCancelParams,
                           SubscriptionListParams, SubscriptionUpdateParams)
from stripe.params.billing_portal import SessionCreateParams as PortalSessionCreateParams
from stripe.params.checkout import SessionCreateParams as CheckoutSessionCreateParams
from stripe.params.checkout import SessionCreateParamsLineItem
from stripe.params.checkout import SessionListParams as CheckoutSessionListParams


P = ParamSpec("P")
T = TypeVar("T")


class GatewayError(Exception):
    """Stripe refused or could not be reached. ``user_message`` is safe to show to a member."""

    user_message = _l("Payment is not available right now. Nothing was charged; please try again shortly.")


class PaymentRefused(GatewayError):
    def __init__(self, message: str):
        super().__init__(message)
        self.user_message = message


class BillingUnavailable(GatewayError):
    pass


def _short_str(value, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit and "\x00" not in value


class BadSignature(Exception):
    """A webhook whose signature is missing, wrong or too old."""


@dataclass(frozen=True)
class Price:
    id: str
    lookup_key: str | None
    unit_amount: int | None
    currency: str
    interval: str | None  # "month", "year", or None for a one-time price
    product_id: str
    active: bool


@dataclass(frozen=True)
class CheckoutLink:
    id: str
    url: str


@dataclass(frozen=True)
class OpenCheckout:
    id: str
    url: str | None
    status: str | None
    prices: str  # the price ids it charges, as we wrote them in its metadata


@dataclass(frozen=True)
class CheckoutOutcome:
    id: str
    status: str | None  # "open", "complete", "expired"
    payment_status: str  # "paid", "unpaid", "no_payment_required"
    customer_id: str | None
    subscription_id: str | None
    client_reference_id: str | None


@dataclass(frozen=True)
class Subscription:
    id: str
    customer_id: str
    status: str
    cancel_at_period_end: bool
    current_period_end: datetime | None
    interval: str | None
    membership_id: int | None  # from the metadata we set at checkout
    includes_initiation: bool
    plan_id: int | None = None  # the club's plan, from the metadata
    price_id: str | None = None  # the recurring price it charges
    item_id: str | None = None  # its subscription item (to move it to another price)


@dataclass(frozen=True)
class Invoice:
    id: str
    number: str | None
    customer_id: str | None
    subscription_id: str | None
    status: str | None
    amount_paid: int
    amount_due: int
    currency: str
    paid_at: datetime | None
    period_start: datetime | None
    period_end: datetime | None


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    object_id: str | None


def checkout_prices(price_id: str, initiation_price_id: str | None) -> str:
    return f"{price_id}+{initiation_price_id}" if initiation_price_id else price_id


def _when(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc) if timestamp else None


def _id(value: Any) -> str | None:
    """An expandable field is an id or an expanded object; we only want the id."""
    if value is None or isinstance(value, str):
        return value
    return getattr(value, "id", None)


class StripeGateway:
    def __init__(self, secret_key: str, *, api_base: str = "", http_client: stripe.HTTPClient | None = None,
                 max_network_retries: int = 2):
        base_addresses: BaseAddresses = {"api": api_base.rstrip("/")} if api_base else {}
        # Retries are safe: every creating call carries an idempotency key.
        self.client = stripe.StripeClient(secret_key, base_addresses=base_addresses, http_client=http_client,
                                          max_network_retries=max_network_retries)

    # Catalogue -----------------------------------------------------------------------------
    def product(self, product_id: str) -> tuple[str, bool] | None:
        """(name, active) of a product, or None when Stripe has no such product."""
        try:
            product = self._call(self.client.v1.products.retrieve, product_id)
        except GatewayError as exc:
            if isinstance(exc.__cause__, stripe.InvalidRequestError) and exc.__cause__.http_status == 404:
                return None
            raise
        return product.name, product.active

    def create_product(self, product_id: str, name: str, *, active: bool = True) -> None:
        params: ProductCreateParams = {"id": product_id, "name": name, "active": active}
        self._call(self.client.v1.products.create, params=params, options={"idempotency_key": f"product-{product_id}"})

    def update_product(self, product_id: str, name: str, *, active: bool = True) -> None:
        params: ProductUpdateParams = {"name": name, "active": active}
        self._call(self.client.v1.products.update, product_id, params=params)

    def prices_by_lookup_key(self, lookup_keys: list[str]) -> dict[str, Price]:
        """Active prices by lookup key (Stripe answers at most ten keys a request)."""
        data = []
        for start in range(0, len(lookup_keys), 10):
            params: PriceListParams = {"lookup_keys": lookup_keys[start:start + 10], "active": True, "limit": 10}
            data.extend(self._call(self.client.v1.prices.list, params=params).data)
        found = {}
        for price in data:
            recurring = price.recurring
            found[price.lookup_key or ""] = Price(
                id=price.id, lookup_key=price.lookup_key, unit_amount=price.unit_amount, currency=price.currency,
                interval=recurring.interval if recurring else None, product_id=_id(price.product) or "",
                active=price.active,
            )
        return found

    def create_price(self, *, product_id: str, lookup_key: str, unit_amount: int, currency: str,
                     interval: str | None, idempotency_key: str) -> str:
        params: PriceCreateParams = {
            "product": product_id, "unit_amount": unit_amount, "currency": currency,
            "lookup_key": lookup_key, "transfer_lookup_key": True,
        }
        if interval == "month":
            params["recurring"] = {"interval": "month"}
        elif interval == "year":
            params["recurring"] = {"interval": "year"}
        price = self._call(self.client.v1.prices.create, params=params,
                           options={"idempotency_key": idempotency_key})
        return price.id

    def archive_price(self, price_id: str) -> None:
        params: PriceUpdateParams = {"active": False}
        self._call(self.client.v1.prices.update, price_id, params=params)

    # Customers and checkout ----------------------------------------------------------------
    def create_customer(self, *, membership_id: int, email: str, name: str) -> str:
        params: CustomerCreateParams = {"email": email, "name": name,
                                        "metadata": {"membership_id": str(membership_id)}}
        customer = self._call(self.client.v1.customers.create, params=params,
                              options={"idempotency_key": f"customer-membership-{membership_id}"})
        return customer.id

    def create_checkout(self, *, customer_id: str, price_id: str, initiation_price_id: str | None,
                        membership_id: int, success_url: str, cancel_url: str, idempotency_key: str,
                        allow_promotion_codes: bool = False, plan_id: int | None = None) -> CheckoutLink:
        line_items: list[SessionCreateParamsLineItem] = [{"price": price_id, "quantity": 1}]
        if initiation_price_id:
            # A one-time price in subscription mode is charged once, on the first invoice.
            line_items.append({"price": initiation_price_id, "quantity": 1})
        metadata = {"membership_id": str(membership_id), "initiation": "yes" if initiation_price_id else "no",
                    "prices": checkout_prices(price_id, initiation_price_id)}
        if plan_id is not None:
            metadata["plan_id"] = str(plan_id)
        params: CheckoutSessionCreateParams = {
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(membership_id),
            "line_items": line_items,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        }
        if allow_promotion_codes:
            params["allow_promotion_codes"] = True
        session = self._call(self.client.v1.checkout.sessions.create, params=params,
                             options={"idempotency_key": idempotency_key})
        if not session.url:
            raise BillingUnavailable("Stripe returned a checkout session without a URL")
        return CheckoutLink(id=session.id, url=session.url)

    def recent_checkouts(self, customer_id: str) -> list[OpenCheckout]:
        """The customer's latest Checkout Sessions, newest first, whatever their status."""
        params: CheckoutSessionListParams = {"customer": customer_id, "limit": 10}
        sessions = self._call(self.client.v1.checkout.sessions.list, params=params)
        found = []
        for session in sessions.data:
            metadata = session.metadata.to_dict() if session.metadata is not None else {}
            found.append(OpenCheckout(id=session.id, url=session.url, status=session.status,
                                      prices=str(metadata.get("prices", ""))))
        return found

    def expire_checkout(self, session_id: str) -> None:
        """Close an open Checkout Session so nobody can pay through it any more."""
        try:
            self._call(self.client.v1.checkout.sessions.expire, session_id)
        except GatewayError as exc:
            # Completed or expired meanwhile: nothing is left open.
            if not isinstance(exc.__cause__, stripe.InvalidRequestError):
                raise

    def checkout_outcome(self, session_id: str) -> CheckoutOutcome:
        session = self._call(self.client.v1.checkout.sessions.retrieve, session_id)
        return CheckoutOutcome(
            id=session.id, status=session.status, payment_status=session.payment_status,
            customer_id=_id(session.customer), subscription_id=_id(session.subscription),
            client_reference_id=session.client_reference_id,
        )

    def portal_url(self, *, customer_id: str, return_url: str) -> str:
        params: PortalSessionCreateParams = {"customer": customer_id, "return_url": return_url}
        return self._call(self.client.v1.billing_portal.sessions.create, params=params).url

    # Subscriptions and invoices ------------------------------------------------------------
    def subscription(self, subscription_id: str) -> Subscription:
        return self._subscription(self._call(self.client.v1.subscriptions.retrieve, subscription_id))

    def move_subscription(self, sub: Subscription, *, price_id: str, plan_id: int, idempotency_key: str) -> Subscription:
        """Charge a subscription another price from now on; Stripe prorates as the account is set to."""
        if not sub.item_id:
            raise GatewayError(f"subscription {sub.id} has no item to move")
        params: SubscriptionUpdateParams = {"items": [{"id": sub.item_id, "price": price_id}],
                                            "metadata": {"plan_id": str(plan_id)}}
        return self._subscription(self._call(self.client.v1.subscriptions.update, sub.id, params=params,
                                             options={"idempotency_key": idempotency_key}))

    def set_cancel_at_period_end(self, subscription_id: str, cancel: bool, *, idempotency_key: str) -> Subscription:
        params: SubscriptionUpdateParams = {"cancel_at_period_end": cancel}
        return self._subscription(self._call(self.client.v1.subscriptions.update, subscription_id,
                                             params=params, options={"idempotency_key": idempotency_key}))

    def customer_subscriptions(self, customer_id: str) -> list[Subscription]:
        """Every subscription of a customer, newest first, cancelled ones included."""
        params: SubscriptionListParams = {"customer": customer_id, "status": "all", "limit": 100}
        subs = self._call(self.client.v1.subscriptions.list, params=params)
        return [self._subscription(sub) for sub in subs.data]

    def cancel_subscription(self, subscription_id: str) -> None:
        """End a subscription now: Stripe stops collecting for it (no proration, no refund)."""
        params: SubscriptionCancelParams = {"prorate": False}
        try:
            self._call(self.client.v1.subscriptions.cancel, subscription_id, params=params)
        except GatewayError as exc:
            cause = exc.__cause__
            if not (isinstance(cause, stripe.InvalidRequestError) and cause.http_status in (400, 404)):
                raise

    def delete_customer(self, customer_id: str) -> None:
        """Delete the customer in Stripe: its subscriptions end at once and its name and email go."""
        try:
            self._call(self.client.v1.customers.delete, customer_id)
        except GatewayError as exc:
            cause = exc.__cause__
            if not (isinstance(cause, stripe.InvalidRequestError) and cause.http_status == 404):
                raise

    def invoice(self, invoice_id: str) -> Invoice:
        invoice = self._call(self.client.v1.invoices.retrieve, invoice_id)
        subscription_id = None
        parent = invoice.parent
        if parent is not None and parent.subscription_details is not None:
            subscription_id = _id(parent.subscription_details.subscription)
        lines = invoice.lines.data if invoice.lines else []
        starts = [line.period.start for line in lines if line.period]
        ends = [line.period.end for line in lines if line.period]
        transitions = invoice.status_transitions
        return Invoice(
            id=invoice.id or invoice_id, number=invoice.number, customer_id=_id(invoice.customer),
            subscription_id=subscription_id, status=invoice.status, amount_paid=invoice.amount_paid,
            amount_due=invoice.amount_due, currency=invoice.currency, paid_at=_when(transitions.paid_at if transitions else None),
            period_start=_when(min(starts)) if starts else None, period_end=_when(max(ends)) if ends else None,
        )

    @staticmethod
    def _subscription(sub: stripe.Subscription) -> Subscription:
        items = sub.items.data if sub.items else []
        ends = [item.current_period_end for item in items if item.current_period_end]
        interval = price_id = item_id = None
        for item in items:
            if item.price and item.price.recurring:
                interval, price_id, item_id = item.price.recurring.interval, item.price.id, item.id
        metadata: dict[str, str] = sub.metadata.to_dict() if sub.metadata is not None else {}
        raw_membership, raw_plan = metadata.get("membership_id"), metadata.get("plan_id")
        return Subscription(
            id=sub.id, customer_id=_id(sub.customer) or "", status=sub.status,
            cancel_at_period_end=bool(sub.cancel_at_period_end),
            current_period_end=_when(max(ends)) if ends else None, interval=interval,
            membership_id=int(raw_membership) if raw_membership and raw_membership.isdigit() else None,
            includes_initiation=metadata.get("initiation") == "yes",
            plan_id=int(raw_plan) if raw_plan and raw_plan.isdigit() else None, price_id=price_id, item_id=item_id,
        )

    # Webhooks ------------------------------------------------------------------------------
    @staticmethod
    def parse_event(payload: bytes, signature: str | None, secret: str) -> WebhookEvent:
        """Verify the signature on the raw body (Stripe's default 300 s tolerance) and read the event."""
        try:
            stripe.WebhookSignature.verify_header(payload, signature, secret,
                                                  tolerance=stripe.Webhook.DEFAULT_TOLERANCE)
            body = json.loads(payload)
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise BadSignature(str(exc)) from exc
        # Signed but malformed (a list, a number for an id, an id longer than Stripe's): refused
        # as a bad request, like a bad signature, rather than failing further down.
        data = body.get("data") if isinstance(body, dict) else None
        obj = data.get("object") if isinstance(data, dict) else None
        object_id = obj.get("id") if isinstance(obj, dict) else None
        if not isinstance(obj, dict) or not _short_str(body.get("id"), 255) \
                or not _short_str(body.get("type"), 100) or not (object_id is None or _short_str(object_id, 255)):
            raise BadSignature("not a Stripe event")
        return WebhookEvent(id=body["id"], type=body["type"], object_id=object_id)

    # Errors --------------------------------------------------------------------------------
    @staticmethod
    def _call(method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except stripe.CardError as exc:
            english = str(get_locale() or "en") == "en"  # Stripe words a refusal in English only
            raise PaymentRefused(exc.user_message if english and exc.user_message else _("Your card was declined.")) from exc
        except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as exc:
            raise BillingUnavailable(str(exc)) from exc
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
