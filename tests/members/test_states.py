"""The membership state rules, as tables."""
from datetime import datetime, timedelta, timezone

import pytest

from club.membership import states

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("state, grace_until, access", [
    (states.ACTIVE, None, True),
    (states.CANCELLING, None, True),
    (states.PAST_DUE, NOW + timedelta(days=3), True),
    (states.PAST_DUE, NOW + timedelta(seconds=1), True),
    (states.PAST_DUE, NOW, False),  # the grace period's last instant has passed
    (states.PAST_DUE, NOW - timedelta(days=1), False),
    (states.PAST_DUE, None, True),  # grace not started yet: the first failure sets it
    (states.PENDING_PAYMENT, None, False),
    (states.LAPSED, None, False),
    (states.ENDED, None, False),
    (states.SUSPENDED, None, False),
    (None, None, False),
])
def test_who_has_access(state, grace_until, access):
    assert states.grants_access(state, grace_until, NOW) is access


@pytest.mark.parametrize("current, new, allowed", [
    (states.PENDING_PAYMENT, states.ACTIVE, True),
    (states.ACTIVE, states.PAST_DUE, True),
    (states.PAST_DUE, states.LAPSED, True),
    (states.PAST_DUE, states.ACTIVE, True),
    (states.ACTIVE, states.CANCELLING, True),
    (states.CANCELLING, states.ENDED, True),
    (states.LAPSED, states.ACTIVE, True),
    (states.SUSPENDED, states.ACTIVE, True),
    (states.ENDED, states.PAST_DUE, False),
    (states.PENDING_PAYMENT, states.PAST_DUE, False),
    (states.PENDING_PAYMENT, states.CANCELLING, False),
    (states.ACTIVE, states.ACTIVE, True),
])
def test_which_moves_are_allowed(current, new, allowed):
    assert states.can_move(current, new) is allowed
    if not allowed:
        with pytest.raises(states.InvalidTransition):
            states.check_move(current, new)


@pytest.mark.parametrize("current, new, loses", [
    (states.ACTIVE, states.LAPSED, True),
    (states.PAST_DUE, states.SUSPENDED, True),
    (states.CANCELLING, states.ENDED, True),
    (states.ACTIVE, states.CANCELLING, False),
    (states.PENDING_PAYMENT, states.ACTIVE, False),
    (states.LAPSED, states.ENDED, False),
])
def test_losing_access(current, new, loses):
    assert states.loses_access(current, new) is loses


def test_a_past_due_member_loses_access_when_grace_ends_even_before_the_nightly_sync(ctx):
    from club.extensions import db
    from club.membership.access import has_member_access, membership_of
    from club.models.base import utcnow
    from tests.factories import make_member

    member = make_member(state=states.PAST_DUE)
    membership = membership_of(member)
    membership.grace_until = utcnow() + timedelta(hours=1)
    db.session.commit()
    assert has_member_access(member)
    membership.grace_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert not has_member_access(member)
