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


# Issue 12: deleting the account deletes the Stripe customer -------------------------------------
def _delete_account(client, user):
    from tests.factories import PASSWORD, login
    login(client, user)
    r = client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert r.status_code == 302, r.get_data(as_text=True)


def test_deleting_an_active_member_deletes_the_customer_and_nothing_revives_the_membership(app, ctx, client,
                                                                                           priced):
    from club.models.billing import Payment
    from tests.billing.conftest import deliver, event

    user, membership, sub = make_stripe_member(priced)
    customer = membership.stripe_customer_id
    _delete_account(client, user)
    assert [c.path for c in priced.calls("DELETE", "/v1/customers/")] == [f"/v1/customers/{customer}"]
    assert priced.objects[sub["id"]]["status"] == "canceled"  # Stripe ends its subscriptions at once
    assert not priced.calls("POST", f"/v1/subscriptions/{sub['id']}")  # not merely cancel_at_period_end
    db.session.expire_all()
    assert membership_of(db.session.get(type(user), user.id)).state == states.ENDED
    # Whatever Stripe says next (an event still in flight, the nightly sync), the membership stays ended.
    priced.set_subscription(sub["id"], status="active", cancel_at_period_end=True)
    assert deliver(client, event("customer.subscription.updated", priced.objects[sub["id"]])).status_code == 200
    invoice = priced.add_invoice(customer=customer, subscription=sub["id"], amount_paid=15000)
    invoice["status_transitions"]["paid_at"] += 60  # charged after the deletion
    assert deliver(client, event("invoice.paid", invoice)).status_code == 200
    assert app.test_cli_runner().invoke(args=["sync-billing"]).exit_code == 0
    db.session.expire_all()
    m = db.session.get(type(membership), membership.id)
    assert m.state == states.ENDED
    assert db.session.scalar(db.select(Payment).where(Payment.stripe_invoice_id == invoice["id"])) is None


def test_deleting_a_lapsed_member_stops_stripe_retrying_and_forgets_them(ctx, client, priced):
    user, membership, sub = make_stripe_member(priced, state=states.LAPSED, status="past_due")
    open_session = priced.add_checkout_session(customer=membership.stripe_customer_id, membership_id=membership.id,
                                               subscription=None, status="open")
    _delete_account(client, user)
    assert priced.objects[membership.stripe_customer_id]["deleted"] is True
    assert priced.objects[sub["id"]]["status"] == "canceled"
    assert priced.objects[open_session["id"]]["status"] == "expired"


def test_deleting_is_refused_while_stripe_cannot_be_reached(ctx, client, priced):
    from tests.factories import PASSWORD, login

    user, membership, sub = make_stripe_member(priced, state=states.LAPSED, status="past_due")
    login(client, user)
    priced.break_next(times=3)
    r = client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert r.status_code == 400 and "could not stop your payments" in r.get_data(as_text=True)
    db.session.expire_all()
    assert membership_of(user).state == states.LAPSED and priced.objects[sub["id"]]["status"] == "past_due"


def test_a_member_paying_offline_undoes_their_cancellation_from_the_billing_page(client, ctx):
    from club.models.club import AuditEntry
    from tests.factories import login

    user = make_member(kind="offline")
    membership_of(user).current_period_end = utcnow() + timedelta(days=30)
    db.session.commit()
    cancel_membership(user, actor=user)
    login(client, user)
    page = client.get("/billing").get_data(as_text=True)
    assert "Keep my membership" in page
    r = client.post("/billing/resume", follow_redirects=True)
    assert "Your membership continues" in r.get_data(as_text=True)
    db.session.expire_all()
    assert membership_of(user).state == states.ACTIVE
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "membership.state_changed")
                               .order_by(AuditEntry.id.desc())).first()
    assert (entry.details["old"], entry.details["new"]) == ("cancelling", "active")
    # Twice (a double submit): nothing more to undo, no second change.
    r = client.post("/billing/resume", follow_redirects=True)
    assert "nothing to undo" in r.get_data(as_text=True)
    assert "Keep my membership" not in client.get("/billing").get_data(as_text=True)


@pytest.mark.parametrize("kind, state, ended, refused", [
    ("offline", states.CANCELLING, False, None),
    ("complimentary", states.CANCELLING, False, None),
    ("offline", states.ACTIVE, False, "nothing to undo"),
    ("stripe", states.CANCELLING, False, "card portal"),
    ("offline", states.CANCELLING, True, "already ended"),
])
def test_undo_cancellation_rules(ctx, kind, state, ended, refused):
    from club.billing.cancellation import undo_cancellation
    from club.billing.errors import BillingError

    user = make_member(kind=kind, state=state)
    membership_of(user).current_period_end = utcnow() + timedelta(days=-1 if ended else 30)
    db.session.commit()
    if refused:
        with pytest.raises(BillingError, match=refused):
            undo_cancellation(user, actor=user)
    else:
        undo_cancellation(user, actor=user)
        db.session.expire_all()
        assert membership_of(user).state == states.ACTIVE
