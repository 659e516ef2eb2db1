"""Dunning and renewal mails: each once, from the webhook and from sync-billing."""
from datetime import timedelta

from club.billing import dunning
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.billing import BillingReminder
from tests.billing.conftest import deliver, event
from tests.billing.factories import make_stripe_member


def _kinds():
    return [r.kind for r in db.session.scalars(db.select(BillingReminder).order_by(BillingReminder.id))]


def test_a_failed_payment_is_mailed_once_per_grace_period(ctx, client, stripe_on, outbox):
    user, membership, sub = make_stripe_member(stripe_on, status="past_due")
    for _ in range(2):  # Stripe's next retry fails too: a new event, the same grace period
        invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], status="open")
        assert deliver(client, event("invoice.payment_failed", invoice)).status_code == 200
    mail, = outbox.to(user.email)
    assert "did not go through" in mail["Subject"] and "http://club.test/billing" in mail.get_content()
    assert _kinds() == ["payment_failed"]


def test_halfway_and_last_day_mails_go_out_once_each(app, ctx, stripe_on, outbox):
    user, membership, sub = make_stripe_member(stripe_on, state=states.PAST_DUE, status="past_due")
    grace_until = utcnow() + timedelta(days=7)
    membership.grace_until = grace_until
    db.session.commit()
    assert dunning.send_due(utcnow()) == []
    halfway = grace_until - timedelta(days=3)
    assert dunning.send_due(halfway) == [f"membership {membership.id} ({user.email}): mailed grace_halfway"]
    assert dunning.send_due(halfway + timedelta(hours=2)) == []  # the second run of the night
    last_day = grace_until - timedelta(hours=20)
    assert len(dunning.send_due(last_day)) == 1 and dunning.send_due(last_day) == []
    subjects = [m["Subject"] for m in outbox.to(user.email)]
    assert len(subjects) == 2 and "still outstanding" in subjects[0] and "closes tomorrow" in subjects[1]
    assert "http://club.test/billing" in outbox.to(user.email)[1].get_content()


def test_sync_billing_reminds_annual_members_before_renewal(app, ctx, stripe_on, outbox):
    user, membership, sub = make_stripe_member(stripe_on, interval="year",
                                               period_end=int((utcnow() + timedelta(days=10)).timestamp()))
    membership.plan = "annual"
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["sync-billing"])
    assert "mailed renewal" in result.output, result.output
    assert runner.invoke(args=["sync-billing"]).output.count("mailed renewal") == 0
    mail, = outbox.to(user.email)
    assert "renews in two weeks" in mail["Subject"]
    db.session.expire_all()
    assert membership_of(user).state == states.ACTIVE and _kinds() == ["renewal"]
