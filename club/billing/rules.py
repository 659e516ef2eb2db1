"""Billing rules: what a Stripe subscription, or an offline period, means for a membership.

Pure functions (no database, no request) so the whole table of cases is tested directly.
The service applies the decisions through ``club.membership.changes.change_membership_state``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from club.membership import states

PLANS = ("monthly", "annual")
PLAN_INTERVALS = {"monthly": "month", "annual": "year"}
INTERVAL_PLANS = {v: k for k, v in PLAN_INTERVALS.items()}

# Subscription statuses under which Stripe may still collect money for this subscription.
LIVE_STATUSES = frozenset({"active", "trialing", "past_due", "incomplete", "unpaid", "paused"})
# ... and those under which the member is paying now.
PAYING_STATUSES = frozenset({"active", "trialing"})


@dataclass(frozen=True)
class SubscriptionChoice:
    chosen: str | None  # the subscription the membership follows
    to_cancel: tuple[str, ...]  # other live subscriptions Stripe must stop collecting for


def choose_subscription(current_id: str | None, subscriptions: list[tuple[str, str]]) -> SubscriptionChoice:
    """Which of a customer's subscriptions ((id, status), newest first) the membership follows.

    The current one while it is paid for; else the newest paid-for one (a lost
    ``checkout.session.completed``), which retires every other live one so Stripe never
    collects twice; else the current one as it stands; else the newest live, else the newest.
    """
    by_id = dict(subscriptions)
    paying = [sub_id for sub_id, status in subscriptions if status in PAYING_STATUSES]
    live = [sub_id for sub_id, status in subscriptions if status in LIVE_STATUSES]
    if current_id in by_id and by_id[current_id] in PAYING_STATUSES:
        chosen: str | None = current_id
    elif paying:
        chosen = paying[0]
    elif current_id in by_id:
        chosen = current_id
    elif live:
        chosen = live[0]
    else:
        chosen = subscriptions[0][0] if subscriptions else None
    to_cancel = tuple(sub_id for sub_id in live if sub_id != chosen) if chosen in paying else ()
    return SubscriptionChoice(chosen, to_cancel)


@dataclass(frozen=True)
class SubscriptionFacts:
    """What the rules need to know about a subscription, as Stripe reports it now."""

    status: str
    cancel_at_period_end: bool
    current_period_end: datetime | None


@dataclass(frozen=True)
class Decision:
    state: str
    grace_until: datetime | None


def decide(facts: SubscriptionFacts, *, current: str, grace_until: datetime | None, now: datetime,
           grace_days: int) -> Decision:
    """The membership state a subscription implies.

    ``current`` is the membership's state without a suspension (the suspended-from state when
    suspended). Each call reads the subscription as it is now, so replayed or late events land
    on the same answer: the result depends on Stripe's current status, not on event order.
    """
    status = facts.status
    if status in ("active", "trialing"):
        if facts.cancel_at_period_end:
            if facts.current_period_end is not None and facts.current_period_end <= now:
                return Decision(states.ENDED, None)
            return Decision(states.CANCELLING, None)
        return Decision(states.ACTIVE, None)
    if status == "past_due":
        # The grace period runs from the first failure we saw; later failures do not extend it.
        until = grace_until or now + timedelta(days=grace_days)
        if now >= until:
            return Decision(states.LAPSED, until)
        return Decision(states.PAST_DUE, until)
    if status in ("incomplete", "incomplete_expired"):
        # The first payment never went through (declined, or 3-D Secure left unfinished). An
        # applicant stays where they were and may try again; a former member stays out.
        if current == states.PENDING_PAYMENT:
            return Decision(states.PENDING_PAYMENT, None)
        return Decision(states.LAPSED if current != states.ENDED else states.ENDED, grace_until)
    if status == "canceled":
        # The member asked to leave (cancelling) or had already left: ended. Stripe gave up
        # collecting after failed payments: lapsed, so they can pay again and come back.
        if current in (states.CANCELLING, states.ENDED):
            return Decision(states.ENDED, None)
        if current == states.PENDING_PAYMENT:
            return Decision(states.PENDING_PAYMENT, None)
        return Decision(states.LAPSED, grace_until)
    # unpaid, paused, or a status Stripe adds later: no access until Stripe says otherwise.
    if current == states.PENDING_PAYMENT:
        return Decision(states.PENDING_PAYMENT, None)
    return Decision(states.LAPSED, grace_until)


def grace_expired(state: str, grace_until: datetime | None, now: datetime) -> bool:
    """A past-due member whose grace period is over loses access, webhook or not."""
    return state == states.PAST_DUE and grace_until is not None and now >= grace_until


def offline_period_over(kind: str | None, state: str, period_end: datetime | None, now: datetime) -> str | None:
    """The state an offline or complimentary membership moves to once its paid period is over.

    Offline payers become ``lapsed`` (the club expects them to pay again); a complimentary
    membership with an end date, or any membership whose holder chose to leave (cancelling),
    becomes ``ended``. None when nothing is due.
    """
    if kind not in ("offline", "complimentary") or period_end is None or now < period_end:
        return None
    if state == states.CANCELLING:
        return states.ENDED
    if state == states.ACTIVE:
        return states.ENDED if kind == "complimentary" else states.LAPSED
    return None


def checkout_allowed(state: str) -> bool:
    """Who may pay through Checkout: applicants awaiting payment and former members returning."""
    return state in (states.PENDING_PAYMENT, states.LAPSED, states.ENDED)


def needs_initiation(initiation_paid: bool, initiation_cents: int) -> bool:
    return not initiation_paid and initiation_cents > 0


def first_payment(price_cents: int, initiation_cents: int) -> int:
    """What the first payment comes to: the plan's price plus the initiation fee still owed (0 if none)."""
    return price_cents + max(initiation_cents, 0)


def payment_reference(membership_id: int) -> str:
    """The reference a member quotes with a transfer, so the admin matches it to the membership."""
    return f"M-{membership_id:05d}"


def is_test_mode_key(key: str) -> bool:
    return key.startswith(("sk_test_", "rk_test_"))


RENEWAL_NOTICE = timedelta(days=14)


def due_reminder(*, state: str, kind: str | None, plan: str | None, grace_until: datetime | None,
                 grace_days: int, period_end: datetime | None, now: datetime) -> tuple[str, str] | None:
    """The dunning or renewal mail due now, as (kind, occasion), or None.

    Past due: halfway through the grace period, then the day before access closes (only the
    later one when both are due). An annual Stripe member who is renewing: 14 days before.
    The occasion (a date) makes each mail once per grace period or renewal.
    """
    if state == states.PAST_DUE and grace_until is not None and now < grace_until:
        occasion = grace_until.date().isoformat()
        if now >= grace_until - timedelta(days=1):
            return ("grace_last_day", occasion)
        if now >= grace_until - timedelta(days=grace_days) / 2:
            return ("grace_halfway", occasion)
        return None
    if (state == states.ACTIVE and kind == "stripe" and plan == "annual" and period_end is not None
            and period_end - RENEWAL_NOTICE <= now < period_end):
        return ("renewal", period_end.date().isoformat())
    return None
