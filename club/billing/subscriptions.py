"""A membership brought in line with its Stripe subscription: the state, plan, period and grace it implies.

Used by checkout, webhooks, the nightly repair and cancellation; each reads Stripe first and calls
this inside its write transaction (see ``locked_membership``).
"""
from __future__ import annotations

import logging

from club.billing import rules
from club.billing.gateway import StripeGateway, Subscription
from club.core import audit, settings
from club.extensions import db
from club.membership import states
from club.membership.changes import change_membership_state
from club.models.base import utcnow
from club.models.billing import Plan
from club.models.membership import Membership
from club.models.user import User

log = logging.getLogger("club.billing")


def locked_membership(membership_id: int) -> Membership:
    """Re-read a membership inside the write transaction (row lock on PostgreSQL)."""
    return db.session.scalars(db.select(Membership).where(Membership.id == membership_id)
                              .with_for_update().execution_options(populate_existing=True)).one()


def is_closed(membership: Membership) -> bool:
    """The account was deleted: nothing Stripe says may move this membership again."""
    return membership.user.deleted_at is not None


def follows(membership: Membership, sub: Subscription, *, adopt: bool = False) -> bool:
    """Whether events about ``sub`` may move this membership.

    Only its current subscription moves it (an old one still retrying must not take over). A
    membership without one follows the first it hears of; ``adopt`` (a completed Checkout for
    this membership, or the nightly repair's choice) switches it to a new live one.
    """
    if is_closed(membership):
        return False
    current = membership.stripe_subscription_id
    return not current or current == sub.id or (adopt and sub.status in rules.LIVE_STATUSES)


def apply_subscription(membership: Membership, sub: Subscription, *, reason: str,
                       actor: User | None = None, adopt: bool = False) -> tuple[str, str] | None:
    """Bring a membership in line with its subscription as Stripe reports it now.

    Returns (old, new) when the state changed. Events about a subscription the membership does
    not follow (see ``follows``) change nothing, and a deleted account is never revived.
    """
    if not follows(membership, sub, adopt=adopt):
        log.info("ignoring subscription %s for membership %s: not the one it follows", sub.id, membership.id)
        return None
    membership.stripe_subscription_id = sub.id
    membership.stripe_customer_id = membership.stripe_customer_id or sub.customer_id
    membership.kind = "stripe"
    if sub.interval in rules.INTERVAL_PLANS:
        membership.plan = rules.INTERVAL_PLANS[sub.interval]
    if sub.price_id:
        membership.stripe_price_id = sub.price_id
    if sub.plan_id and sub.plan_id != membership.plan_id and db.session.get(Plan, sub.plan_id) is not None:
        membership.plan_id = sub.plan_id
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


def retire_other_subscriptions(gw: StripeGateway, customer_id: str, keep: Subscription) -> list[str]:
    """A new paid-for subscription started: cancel every other live one of the customer, so that
    an old subscription Stripe still retries can neither charge the member again nor take over."""
    if keep.status not in rules.PAYING_STATUSES:
        return []
    others = [sub for sub in gw.customer_subscriptions(customer_id) if sub.id != keep.id]
    choice = rules.choose_subscription(keep.id, [(keep.id, keep.status)] + [(s.id, s.status) for s in others])
    for sub_id in choice.to_cancel:
        gw.cancel_subscription(sub_id)
        log.info("cancelled subscription %s of %s: replaced by %s", sub_id, customer_id, keep.id)
    return list(choice.to_cancel)


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
