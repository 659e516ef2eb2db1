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
def priced(stripe_on):
    """The fake Stripe with the club's catalogue of prices in place."""
    stripe_on.add_price("club_membership_monthly", 15000, "month")
    stripe_on.add_price("club_membership_annual", 150000, "year")
    stripe_on.add_price("club_initiation", 50000, None)
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
