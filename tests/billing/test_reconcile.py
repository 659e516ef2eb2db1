"""sync-billing: the nightly repair of drift from Stripe, carrying on past errors, expiry without keys."""
from datetime import timedelta

from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from tests.billing.factories import make_stripe_member
from tests.factories import make_member


def test_sync_billing_repairs_drift_and_prints_it(app, ctx, stripe_on):
    drifted, membership, sub = make_stripe_member(stripe_on, state=states.ACTIVE)
    stripe_on.set_subscription(sub["id"], status="canceled")
    fine, _m, _s = make_stripe_member(stripe_on, state=states.ACTIVE)
    result = app.test_cli_runner().invoke(args=["sync-billing"])
    assert result.exit_code == 0, result.output
    assert f"membership {membership.id} ({sub['id']}): active -> lapsed" in result.output
    assert "1 change(s)." in result.output
    db.session.expire_all()
    assert membership_of(drifted).state == states.LAPSED and membership_of(fine).state == states.ACTIVE


def test_sync_billing_reports_stripe_errors_and_carries_on(app, ctx, stripe_on):
    user, membership, sub = make_stripe_member(stripe_on)
    stripe_on.break_next()
    result = app.test_cli_runner().invoke(args=["sync-billing"])
    assert result.exit_code == 0 and f"could not read {membership.stripe_customer_id}" in result.output


def test_sync_billing_without_keys_expires_offline_periods(app, ctx):
    user = make_member(kind="offline")
    membership_of(user).current_period_end = utcnow() - timedelta(hours=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["sync-billing"])
    assert "offline and complimentary memberships only" in result.output and "active -> lapsed" in result.output


# Issue 12: reconcile by customer --------------------------------------------------------------
def test_sync_billing_finds_a_subscription_whose_checkout_event_was_lost(app, ctx, stripe_on):
    from tests.billing.factories import make_applicant

    user = make_applicant()
    membership = membership_of(user)
    membership.stripe_customer_id = "cus_lost_event"
    db.session.commit()
    sub = stripe_on.add_subscription(customer="cus_lost_event", membership_id=membership.id)
    result = app.test_cli_runner().invoke(args=["sync-billing"])
    assert f"membership {membership.id} ({sub['id']}): pending_payment -> active" in result.output
    db.session.expire_all()
    m = membership_of(user)
    assert (m.state, m.stripe_subscription_id) == (states.ACTIVE, sub["id"])


def test_sync_billing_prefers_the_paid_subscription_and_cancels_the_old_one(app, ctx, stripe_on):
    user, membership, old = make_stripe_member(stripe_on, state=states.LAPSED, status="past_due")
    new = stripe_on.add_subscription(customer=membership.stripe_customer_id, membership_id=membership.id)
    result = app.test_cli_runner().invoke(args=["sync-billing"])
    assert f"lapsed -> active; cancelled {old['id']}" in result.output
    db.session.expire_all()
    assert membership_of(user).stripe_subscription_id == new["id"]
    assert stripe_on.objects[old["id"]]["status"] == "canceled"
