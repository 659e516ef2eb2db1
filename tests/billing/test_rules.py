"""The mapping from Stripe's subscription status to the membership state, as a table."""
from datetime import datetime, timedelta, timezone

import pytest

from club.billing import rules
from club.billing.rules import Decision, SubscriptionFacts
from club.membership import states

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=20)
EARLIER = NOW - timedelta(days=1)


@pytest.mark.parametrize("status, cancel, period_end, current, grace, expected", [
    # paid
    ("active", False, LATER, states.PENDING_PAYMENT, None, Decision(states.ACTIVE, None)),
    ("trialing", False, LATER, states.PENDING_PAYMENT, None, Decision(states.ACTIVE, None)),
    ("active", False, LATER, states.PAST_DUE, NOW + timedelta(days=3), Decision(states.ACTIVE, None)),  # recovery
    ("active", False, LATER, states.LAPSED, EARLIER, Decision(states.ACTIVE, None)),  # paid again
    ("active", False, LATER, states.CANCELLING, None, Decision(states.ACTIVE, None)),  # changed their mind
    # cancel at period end
    ("active", True, LATER, states.ACTIVE, None, Decision(states.CANCELLING, None)),
    ("active", True, EARLIER, states.CANCELLING, None, Decision(states.ENDED, None)),
    # payment failed: grace from the first failure, then lapsed
    ("past_due", False, LATER, states.ACTIVE, None, Decision(states.PAST_DUE, NOW + timedelta(days=7))),
    ("past_due", False, LATER, states.PAST_DUE, NOW + timedelta(days=2),
     Decision(states.PAST_DUE, NOW + timedelta(days=2))),  # a second failure does not extend grace
    ("past_due", False, LATER, states.PAST_DUE, NOW, Decision(states.LAPSED, NOW)),  # boundary: grace over
    ("past_due", False, LATER, states.PAST_DUE, NOW + timedelta(seconds=1),
     Decision(states.PAST_DUE, NOW + timedelta(seconds=1))),
    ("past_due", False, LATER, states.LAPSED, EARLIER, Decision(states.LAPSED, EARLIER)),  # no way back by replay
    # Stripe gave up, or the member left
    ("unpaid", False, LATER, states.PAST_DUE, EARLIER, Decision(states.LAPSED, EARLIER)),
    ("canceled", False, EARLIER, states.PAST_DUE, EARLIER, Decision(states.LAPSED, EARLIER)),
    ("canceled", False, EARLIER, states.ACTIVE, None, Decision(states.LAPSED, None)),
    ("canceled", True, EARLIER, states.CANCELLING, None, Decision(states.ENDED, None)),
    ("canceled", True, EARLIER, states.ENDED, None, Decision(states.ENDED, None)),
    ("paused", False, LATER, states.ACTIVE, None, Decision(states.LAPSED, None)),
    # first payment not completed: an applicant stays an applicant
    ("incomplete", False, LATER, states.PENDING_PAYMENT, None, Decision(states.PENDING_PAYMENT, None)),
    ("incomplete_expired", False, LATER, states.PENDING_PAYMENT, None, Decision(states.PENDING_PAYMENT, None)),
    ("incomplete_expired", False, LATER, states.LAPSED, None, Decision(states.LAPSED, None)),
    ("canceled", False, LATER, states.PENDING_PAYMENT, None, Decision(states.PENDING_PAYMENT, None)),
])
def test_subscription_status_maps_to_membership_state(status, cancel, period_end, current, grace, expected):
    facts = SubscriptionFacts(status, cancel, period_end)
    assert rules.decide(facts, current=current, grace_until=grace, now=NOW, grace_days=7) == expected


def test_every_decision_is_reachable_under_the_membership_rules():
    for status in ("active", "trialing", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "paused"):
        for cancel in (False, True):
            for current in states.ALL_STATES:
                if current == states.SUSPENDED:
                    continue
                decision = rules.decide(SubscriptionFacts(status, cancel, LATER), current=current, grace_until=None,
                                        now=NOW, grace_days=7)
                # The service steps through active when a direct move is not allowed (pending -> cancelling).
                direct = states.can_move(current, decision.state)
                via_active = states.can_move(current, states.ACTIVE) and states.can_move(states.ACTIVE, decision.state)
                assert direct or via_active, (status, cancel, current, decision)


@pytest.mark.parametrize("state, grace, expired", [
    (states.PAST_DUE, NOW - timedelta(seconds=1), True),
    (states.PAST_DUE, NOW, True),
    (states.PAST_DUE, NOW + timedelta(seconds=1), False),
    (states.PAST_DUE, None, False),
    (states.ACTIVE, EARLIER, False),
])
def test_grace_period_boundary(state, grace, expired):
    assert rules.grace_expired(state, grace, NOW) is expired


@pytest.mark.parametrize("kind, state, period_end, expected", [
    ("offline", states.ACTIVE, EARLIER, states.LAPSED),
    ("offline", states.ACTIVE, LATER, None),
    ("offline", states.CANCELLING, EARLIER, states.ENDED),
    ("complimentary", states.ACTIVE, EARLIER, states.ENDED),
    ("complimentary", states.ACTIVE, None, None),  # open-ended comp
    ("stripe", states.ACTIVE, EARLIER, None),  # Stripe decides for card payers
    ("offline", states.PAST_DUE, EARLIER, None),
    ("offline", states.ACTIVE, NOW, states.LAPSED),  # boundary: the period is over at its end
])
def test_offline_and_complimentary_periods_end(kind, state, period_end, expected):
    assert rules.offline_period_over(kind, state, period_end, NOW) == expected


@pytest.mark.parametrize("key, ok", [("sk_test_abc", True), ("rk_test_abc", True), ("sk_live_abc", False),
                                     ("rk_live_abc", False), ("pk_test_abc", False), ("whatever", False)])
def test_only_test_mode_keys_are_accepted(key, ok):
    assert rules.is_test_mode_key(key) is ok


# Which of a customer's subscriptions the membership follows (newest first) -------------------------
@pytest.mark.parametrize("current, subs, chosen, to_cancel", [
    (None, [], None, ()),
    ("sub_a", [("sub_a", "active")], "sub_a", ()),
    (None, [("sub_a", "active")], "sub_a", ()),  # a lost checkout.session.completed
    ("sub_old", [("sub_new", "active"), ("sub_old", "past_due")], "sub_new", ("sub_old",)),  # paid again
    ("sub_old", [("sub_new", "active"), ("sub_old", "canceled")], "sub_new", ()),
    ("sub_a", [("sub_b", "active"), ("sub_a", "active")], "sub_a", ("sub_b",)),  # never two charging
    ("sub_a", [("sub_a", "past_due")], "sub_a", ()),  # still retrying: the current one stands
    ("sub_a", [("sub_b", "incomplete"), ("sub_a", "past_due")], "sub_a", ()),  # nothing paid: cancel nothing
    ("sub_a", [("sub_a", "canceled")], "sub_a", ()),
    (None, [("sub_b", "canceled"), ("sub_a", "past_due")], "sub_a", ()),
    (None, [("sub_b", "canceled"), ("sub_a", "canceled")], "sub_b", ()),
    ("sub_gone", [("sub_a", "unpaid")], "sub_a", ()),
])
def test_choose_subscription(current, subs, chosen, to_cancel):
    assert rules.choose_subscription(current, subs) == rules.SubscriptionChoice(chosen, to_cancel)


# Dunning and renewal mails ------------------------------------------------------------------------
GRACE_END = NOW + timedelta(days=7)


@pytest.mark.parametrize("state, kind, plan, grace_until, period_end, now, expected", [
    (states.PAST_DUE, "stripe", "monthly", GRACE_END, LATER, NOW, None),  # just failed: the webhook mailed
    (states.PAST_DUE, "stripe", "monthly", GRACE_END, LATER, NOW + timedelta(days=3), None),
    (states.PAST_DUE, "stripe", "monthly", GRACE_END, LATER, NOW + timedelta(days=3, hours=12),
     ("grace_halfway", "2026-03-08")),
    (states.PAST_DUE, "stripe", "monthly", GRACE_END, LATER, NOW + timedelta(days=5), ("grace_halfway", "2026-03-08")),
    (states.PAST_DUE, "stripe", "monthly", GRACE_END, LATER, NOW + timedelta(days=6), ("grace_last_day", "2026-03-08")),
    (states.PAST_DUE, "stripe", "monthly", GRACE_END, LATER, GRACE_END, None),  # closed: nothing to warn of
    (states.ACTIVE, "stripe", "annual", None, NOW + timedelta(days=14), NOW, ("renewal", "2026-03-15")),
    (states.ACTIVE, "stripe", "annual", None, NOW + timedelta(days=15), NOW, None),  # not yet
    (states.ACTIVE, "stripe", "monthly", None, NOW + timedelta(days=5), NOW, None),  # monthly: no notice
    (states.CANCELLING, "stripe", "annual", None, NOW + timedelta(days=5), NOW, None),  # will not renew
    (states.ACTIVE, "offline", "annual", None, NOW + timedelta(days=5), NOW, None),  # the club is paid directly
])
def test_due_reminder(state, kind, plan, grace_until, period_end, now, expected):
    assert rules.due_reminder(state=state, kind=kind, plan=plan, grace_until=grace_until, grace_days=7,
                              period_end=period_end, now=now) == expected
