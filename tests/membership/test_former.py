"""Former members: the pure rule, and the end date the one way of changing a membership keeps."""
from datetime import datetime, timedelta, timezone

import pytest

from club.membership import states
from club.membership.former import is_past_retention

CUTOFF = datetime(2025, 6, 1, tzinfo=timezone.utc)
BEFORE, AFTER = CUTOFF - timedelta(seconds=1), CUTOFF + timedelta(days=1)


@pytest.mark.parametrize(("state", "ended_at", "past"), [
    (states.ENDED, BEFORE, True),
    (states.ENDED, CUTOFF, False),
    (states.ENDED, AFTER, False),
    (states.ENDED, None, False),
    (states.ACTIVE, BEFORE, False),  # came back: not a former member, whatever the date says
    (states.PENDING_PAYMENT, BEFORE, False),
    (states.LAPSED, BEFORE, False),
    (states.SUSPENDED, BEFORE, False),
])
def test_is_past_retention(state, ended_at, past):
    assert is_past_retention(state, ended_at, CUTOFF) is past


def test_the_end_date_is_set_when_a_membership_ends_and_cleared_when_the_member_comes_back(ctx):
    from club.extensions import db
    from club.membership.changes import change_membership_state, start_membership
    from tests.factories import make_member

    user = make_member()
    membership = user.membership
    assert membership.ended_at is None
    change_membership_state(membership, states.ENDED, reason="member cancelled")
    db.session.commit()
    assert membership.ended_at is not None
    start_membership(user)  # approved again
    db.session.commit()
    assert (membership.state, membership.ended_at) == (states.PENDING_PAYMENT, None)
