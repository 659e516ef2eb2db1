"""A member leaving: Stripe cancels at the period's end; offline and complimentary memberships end."""
from datetime import timedelta

import pytest

from club.billing.cancellation import cancel_membership
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from tests.billing.factories import make_stripe_member
from tests.factories import make_member


def test_cancel_membership_sets_cancel_at_period_end_through_stripe(ctx, priced):
    user, membership, sub = make_stripe_member(priced)
    priced.set_subscription(sub["id"], cancel_at_period_end=False)
    # Stripe answers the update with the subscription as it now is.
    sentence = cancel_membership(user, actor=user, reason="moving abroad")
    call, = priced.calls("POST", f"/v1/subscriptions/{sub['id']}")
    assert call.params == {"cancel_at_period_end": "true"}
    assert call.idempotency_key == f"cancel-{sub['id']}"
    db.session.expire_all()
    assert membership_of(user).state == states.CANCELLING
    assert sentence.startswith("Your membership ends on")


@pytest.mark.parametrize("period_days, expected_state, sentence", [
    (30, states.CANCELLING, "Your membership ends on"),
    (None, states.ENDED, "Your membership has ended."),
])
def test_cancel_membership_offline_and_comp(ctx, period_days, expected_state, sentence):
    user = make_member(kind="offline" if period_days else "complimentary")
    if period_days:
        membership_of(user).current_period_end = utcnow() + timedelta(days=period_days)
        db.session.commit()
    assert cancel_membership(user, actor=user, reason="leaving").startswith(sentence)
    db.session.expire_all()
    assert membership_of(user).state == expected_state
