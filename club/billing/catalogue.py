"""The price catalogue: the club's fees, and the Stripe product and prices kept in line with them (stripe-sync)."""
from __future__ import annotations

from club.billing.setup import require_gateway
from club.core import audit, settings
from club.extensions import db

PRODUCT_ID = "club_membership"
LOOKUP_KEYS = {"monthly": "club_membership_monthly", "annual": "club_membership_annual"}
INITIATION_LOOKUP_KEY = "club_initiation"


def fees() -> dict[str, int | str]:
    return {"monthly": int(settings.get("fee_monthly_cents")), "annual": int(settings.get("fee_annual_cents")),
            "initiation": int(settings.get("fee_initiation_cents")), "currency": str(settings.get("currency"))}


def stripe_sync() -> list[str]:
    """Create or update the Stripe product and prices from the club's fees, by lookup key.

    A price whose amount changed is replaced (Stripe prices are immutable): the new one takes
    over the lookup key and the old one is archived. Running it again changes nothing.
    """
    gw = require_gateway()
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
