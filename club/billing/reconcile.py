"""The nightly repair (sync-billing): re-read every Stripe customer's subscriptions, fix drift,
then expire what is due and send the dunning and renewal mails."""
from __future__ import annotations

from club.billing import dunning, rules
from club.billing.expiry import expire_due
from club.billing.gateway import GatewayError, StripeGateway
from club.billing.setup import gateway
from club.billing.subscriptions import apply_subscription, locked_membership
from club.core.database import begin_write
from club.extensions import db
from club.models.membership import Membership
from club.models.user import User


def _repair(gw: StripeGateway, membership_id: int, customer_id: str, current_id: str | None) -> str | None:
    """Bring one membership in line with its customer's subscriptions; a line when something changed.

    By customer, not by subscription id: a member whose ``checkout.session.completed`` was lost
    and who never came back to the success page still has a subscription, and it is found here.
    """
    subs = gw.customer_subscriptions(customer_id)
    choice = rules.choose_subscription(current_id, [(sub.id, sub.status) for sub in subs])
    if choice.chosen is None:
        return None
    for sub_id in choice.to_cancel:
        gw.cancel_subscription(sub_id)
    chosen = next(sub for sub in subs if sub.id == choice.chosen)
    begin_write()
    membership = locked_membership(membership_id)
    changed = apply_subscription(membership, chosen, reason="sync-billing repair", adopt=True)
    db.session.commit()
    cancelled = f"; cancelled {', '.join(choice.to_cancel)}" if choice.to_cancel else ""
    if changed:
        return f"membership {membership_id} ({chosen.id}): {changed[0]} -> {changed[1]}{cancelled}"
    return f"membership {membership_id}: kept {chosen.id}{cancelled}" if cancelled else None


def sync_billing() -> list[str]:
    """Re-read every Stripe customer and repair drift, expire what is due, send the due mails. Nightly."""
    lines: list[str] = []
    gw = gateway()
    if gw is not None:
        rows = db.session.execute(
            db.select(Membership.id, Membership.stripe_customer_id, Membership.stripe_subscription_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.stripe_customer_id.is_not(None), User.deleted_at.is_(None))
            .order_by(Membership.id)).all()
        db.session.rollback()
        for membership_id, customer_id, subscription_id in rows:
            try:
                line = _repair(gw, membership_id, customer_id, subscription_id)
            except GatewayError as exc:
                db.session.rollback()
                lines.append(f"membership {membership_id}: could not read {customer_id} ({exc})")
                continue
            if line:
                lines.append(line)
    lines.extend(expire_due())
    lines.extend(dunning.send_due())
    return lines
