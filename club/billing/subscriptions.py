"""A membership brought in line with its Stripe subscription: the state, plan, period and grace it implies.

Used by checkout, webhooks, the nightly repair and cancellation; each reads Stripe first and calls
this inside its write transaction (see ``locked_membership``).
"""
from __future__ import annotations

import logging

from club.billing import rules
from club.billing.gateway import Subscription
from club.core import audit, settings
from club.extensions import db
from club.membership import states
from club.membership.changes import change_membership_state
from club.models.base import utcnow
from club.models.membership import Membership
from club.models.user import User

log = logging.getLogger("club.billing")


def locked_membership(membership_id: int) -> Membership:
    """Re-read a membership inside the write transaction (row lock on PostgreSQL)."""
    return db.session.scalars(db.select(Membership).where(Membership.id == membership_id)
                              .with_for_update().execution_options(populate_existing=True)).one()


def apply_subscription(membership: Membership, sub: Subscription, *, reason: str,
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


def membership_for(*, subscription: Subscription | None = None, customer_id: str | None = None,
                   membership_id: int | None = None) -> Membership | None:
    """The membership a Stripe object is about (locked): by subscription, then membership id, then customer."""
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
