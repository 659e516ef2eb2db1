"""Stripe set-up: the test-key guard at start-up, the gateway (or None without Stripe), whether card payment is on."""
from __future__ import annotations

import logging

from flask import Flask, current_app
from flask.sansio.app import App
from flask_babel import gettext as _

from club.billing import rules
from club.billing.errors import BillingError
from club.billing.gateway import StripeGateway

log = logging.getLogger("club.billing")


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


def require_gateway() -> StripeGateway:
    """The gateway, or a BillingError saying the club takes no card payments."""
    gw = gateway()
    if gw is None:
        raise BillingError(_("Payment by card is not set up for this club; the club arranges payment with you."))
    return gw
