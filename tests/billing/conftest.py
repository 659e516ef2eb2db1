"""Billing fixtures: a fake Stripe server and the app pointed at it in test mode."""
from __future__ import annotations

import json
import time

import pytest
import stripe

from tests.billing.fake_stripe import FakeStripe

WEBHOOK_SECRET = "whsec_test_club_secret"


@pytest.fixture
def fake_stripe():
    server = FakeStripe()
    yield server
    server.close()


@pytest.fixture
def stripe_on(app, fake_stripe, monkeypatch):
    """The app with test-mode keys, talking to the fake Stripe (no retries, so failures show at once)."""
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_club_fake")
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", fake_stripe.url)
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    return fake_stripe


@pytest.fixture
def priced(ctx, stripe_on):
    """The fake Stripe with the club's one plan (Individual: 150 a month, 1,500 a year, 500 to join) in place."""
    from tests.billing.factories import make_plan

    plan = make_plan()
    stripe_on.plan = plan
    product = f"club_plan_{plan.id}"
    stripe_on.add_price(f"{product}_monthly", 15000, "month", product=product)
    stripe_on.add_price(f"{product}_annual", 150000, "year", product=product)
    stripe_on.add_price(f"{product}_initiation", 50000, None, product=product)
    return stripe_on


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[bytes, dict]:
    """A webhook body and headers signed with the stripe library's own helper."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp or int(time.time()))
    return payload.encode(), {"Stripe-Signature": header, "Content-Type": "application/json"}


def event(type_: str, obj: dict, event_id: str | None = None) -> dict:
    signed.counter = getattr(signed, "counter", 0) + 1
    return {"id": event_id or f"evt_test_{signed.counter:05d}_{int(time.time() * 1000)}", "object": "event",
            "type": type_, "api_version": "2026-10-28.endive", "created": int(time.time()), "livemode": False,
            "data": {"object": obj}}


def deliver(client, evt: dict, **kwargs):
    body, headers = signed(evt, **kwargs)
    return client.post("/billing/webhook", data=body, headers=headers)
