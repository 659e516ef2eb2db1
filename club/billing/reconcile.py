"""The nightly repair (sync-billing): re-read every Stripe subscription, fix drift, then expire what is due."""
from __future__ import annotations

from club.billing.expiry import expire_due
from club.billing.gateway import GatewayError
from club.billing.setup import gateway
from club.billing.subscriptions import apply_subscription, locked_membership
from club.core.database import begin_write
from club.extensions import db
from club.models.membership import Membership


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
            membership = locked_membership(membership_id)
            changed = apply_subscription(membership, sub, reason="sync-billing repair")
            db.session.commit()
            if changed:
                lines.append(f"membership {membership_id} ({subscription_id}): {changed[0]} -> {changed[1]}")
    lines.extend(expire_due())
    return lines
