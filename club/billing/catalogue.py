"""The price catalogue: the club's plans, and the Stripe products and prices kept in line with them.

Each plan is a Stripe product (``club_plan_<id>``) with a monthly, an annual and, when there is
a fee, a one-time initiation price, found by lookup key. Stripe's prices are the single source
of what is charged and shown: the member's page and Checkout both read them from Stripe.
"""
from __future__ import annotations

from club.billing.gateway import Price, StripeGateway
from club.billing.setup import require_gateway
from club.core import audit, settings
from club.extensions import db
from club.models.billing import Plan

INTERVALS = {"monthly": "month", "annual": "year"}


def product_id(plan: Plan) -> str:
    return f"club_plan_{plan.id}"


def lookup_key(plan: Plan, what: str) -> str:
    """``what``: "monthly", "annual" or "initiation"."""
    return f"club_plan_{plan.id}_{what}"


def currency() -> str:
    return str(settings.get("currency")).lower()


def active_plans() -> list[Plan]:
    return list(db.session.scalars(db.select(Plan).where(Plan.active.is_(True)).order_by(Plan.monthly_cents, Plan.id)))


def all_plans() -> list[Plan]:
    return list(db.session.scalars(db.select(Plan).order_by(Plan.active.desc(), Plan.monthly_cents, Plan.id)))


def stripe_prices(gw: StripeGateway, plans: list[Plan]) -> dict[str, Price]:
    """Stripe's current prices for these plans, by lookup key."""
    keys = [lookup_key(plan, what) for plan in plans for what in ("monthly", "annual", "initiation")]
    return gw.prices_by_lookup_key(keys) if keys else {}


def _wanted(plan: Plan) -> list[tuple[str, str, int, str | None]]:
    wanted: list[tuple[str, str, int, str | None]] = [
        ("monthly", lookup_key(plan, "monthly"), plan.monthly_cents, "month"),
        ("annual", lookup_key(plan, "annual"), plan.annual_cents, "year")]
    if plan.initiation_cents > 0:
        wanted.append(("initiation", lookup_key(plan, "initiation"), plan.initiation_cents, None))
    return wanted


def sync_plan(gw: StripeGateway, plan: Plan) -> list[str]:
    """Make Stripe's product and prices for one plan match it; record the price ids. No commit.

    A changed amount is a new Stripe Price that takes over the lookup key; the old one is
    archived, so nobody new pays it while existing subscribers keep it. Running it again
    changes nothing.
    """
    lines = []
    pid, name = product_id(plan), f"{settings.get('club_name')}: {plan.name}"
    product = gw.product(pid)
    if product is None:
        gw.create_product(pid, name, active=plan.active)
        lines.append(f"product {pid}: created")
    elif product != (name, plan.active):
        gw.update_product(pid, name, active=plan.active)
        lines.append(f"product {pid}: updated")
    else:
        lines.append(f"product {pid}: unchanged")
    money = currency()
    existing = stripe_prices(gw, [plan])
    ids: dict[str, str | None] = {"monthly": None, "annual": None, "initiation": None}
    for what, key, amount, interval in _wanted(plan):
        price = existing.get(key)
        if price is not None and (price.unit_amount, price.currency, price.interval, price.product_id) == (
                amount, money, interval, pid):
            ids[what] = price.id
            lines.append(f"price {key}: unchanged ({price.id})")
            continue
        ids[what] = gw.create_price(product_id=pid, lookup_key=key, unit_amount=amount, currency=money,
                                    interval=interval,
                                    idempotency_key=f"price-{key}-{amount}-{money}-{price.id if price else 'new'}")
        if price is not None:
            gw.archive_price(price.id)
            lines.append(f"price {key}: replaced {price.id} with {ids[what]} ({amount} {money})")
        else:
            lines.append(f"price {key}: created {ids[what]} ({amount} {money})")
    stale = existing.get(lookup_key(plan, "initiation"))
    if plan.initiation_cents <= 0 and stale is not None:
        gw.archive_price(stale.id)  # no initiation fee any more: Checkout must not charge the old one
        lines.append(f"price {lookup_key(plan, 'initiation')}: archived {stale.id}")
    plan.stripe_monthly_price_id = ids["monthly"]
    plan.stripe_annual_price_id = ids["annual"]
    plan.stripe_initiation_price_id = ids["initiation"]
    return lines


def stripe_sync() -> list[str]:
    """Create or update the Stripe products and prices of every plan (``flask stripe-sync``)."""
    gw = require_gateway()
    lines = []
    for plan in all_plans():
        lines.extend(sync_plan(gw, plan))
    if not lines:
        lines.append("no plans yet: add them at /admin/plans")
    audit.record("billing.stripe_catalogue_synced", changes=[line for line in lines if "unchanged" not in line])
    db.session.commit()
    return lines
