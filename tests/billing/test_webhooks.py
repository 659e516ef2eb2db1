"""Stripe webhooks: signatures, redelivery, order, failure and retry, every state move."""
import time
from datetime import timedelta

import pytest

from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.club import AuditEntry
from club.models.billing import Payment, StripeEvent
from tests.billing.conftest import deliver, event, signed
from tests.billing.factories import make_applicant, make_stripe_member
from tests.factories import login


def _audit(action):
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


def _state(user):
    db.session.expire_all()
    return membership_of(user)


# Signatures ------------------------------------------------------------------------------------
def test_missing_bad_and_stale_signatures_get_400(ctx, client, stripe_on):
    user, _m, sub = make_stripe_member(stripe_on, state=states.PENDING_PAYMENT, status="active")
    evt = event("customer.subscription.updated", sub)
    body, headers = signed(evt)
    assert client.post("/billing/webhook", data=body).status_code == 400  # no header
    _, wrong = signed(evt, secret="whsec_someone_else")
    assert client.post("/billing/webhook", data=body, headers=wrong).status_code == 400
    _, stale = signed(evt, timestamp=int(time.time()) - 301)  # beyond Stripe's default 300 s
    assert client.post("/billing/webhook", data=body, headers=stale).status_code == 400
    tampered = body.replace(b'"active"', b'"canceled"')
    assert client.post("/billing/webhook", data=tampered, headers=headers).status_code == 400
    assert _state(user).state == states.PENDING_PAYMENT
    assert client.post("/billing/webhook", data=body, headers=headers).status_code == 200
    assert _state(user).state == states.ACTIVE


def test_webhooks_are_refused_when_stripe_is_not_configured(ctx, client):
    body, headers = signed(event("invoice.paid", {"id": "in_1"}))
    assert client.post("/billing/webhook", data=body, headers=headers).status_code == 400


def test_the_webhook_needs_no_csrf_token(app, ctx, client, stripe_on, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    r = deliver(client, event("customer.created", {"id": "cus_1"}))
    assert r.status_code == 200 and r.get_json() == {"outcome": "ignored"}


# Checkout completes ---------------------------------------------------------------------------
def test_checkout_completed_activates_from_what_stripe_says_now(ctx, client, stripe_on):
    user = make_applicant()
    membership = membership_of(user)
    sub = stripe_on.add_subscription(customer="cus_new", membership_id=membership.id, initiation=True)
    session = stripe_on.add_checkout_session(customer="cus_new", membership_id=membership.id, subscription=sub["id"])
    evt = event("checkout.session.completed", session)
    assert deliver(client, evt).get_json() == {"outcome": "processed"}
    m = _state(user)
    assert m.state == states.ACTIVE and m.kind == "stripe" and m.initiation_paid
    assert (m.stripe_customer_id, m.stripe_subscription_id) == ("cus_new", sub["id"])
    assert m.current_period_end is not None and m.joined_at is not None
    assert [c.path for c in stripe_on.calls("GET", "/v1/")] == [f"/v1/checkout/sessions/{session['id']}",
                                                               f"/v1/subscriptions/{sub['id']}",
                                                               "/v1/subscriptions"]  # any other to retire?
    assert db.session.get(StripeEvent, evt["id"]).type == "checkout.session.completed"
    changed, = _audit("membership.state_changed")
    assert (changed.details["old"], changed.details["new"]) == ("pending_payment", "active")


def test_a_redelivered_event_does_nothing(ctx, client, stripe_on):
    user, membership, sub = make_stripe_member(stripe_on)
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], amount_paid=15000)
    evt = event("invoice.paid", invoice)
    assert deliver(client, evt).get_json() == {"outcome": "processed"}
    requests_before = len(stripe_on.requests)
    assert deliver(client, evt).get_json() == {"outcome": "duplicate"}
    assert len(stripe_on.requests) == requests_before  # not even read again
    payment, = db.session.scalars(db.select(Payment)).all()
    assert (payment.amount_cents, payment.source, payment.stripe_invoice_id) == (15000, "stripe", invoice["id"])
    assert len(_audit("billing.payment_received")) == 1


def test_the_same_invoice_in_two_events_is_one_payment(ctx, client, stripe_on):
    user, membership, sub = make_stripe_member(stripe_on)
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], amount_paid=15000)
    deliver(client, event("invoice.paid", invoice))
    deliver(client, event("invoice.paid", invoice))
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 1


def test_unknown_event_types_get_200_and_are_ignored(ctx, client, stripe_on):
    r = deliver(client, event("payment_intent.created", {"id": "pi_1"}))
    assert r.status_code == 200 and r.get_json() == {"outcome": "ignored"}
    assert not stripe_on.requests


# Order ----------------------------------------------------------------------------------------
def test_events_out_of_order_cannot_move_a_membership_backwards(ctx, client, stripe_on):
    user, membership, sub = make_stripe_member(stripe_on, state=states.PENDING_PAYMENT, status="incomplete")
    stale_payload = dict(sub)  # "created", still incomplete, as Stripe sent it back then
    stripe_on.set_subscription(sub["id"], status="active")
    deliver(client, event("customer.subscription.updated", dict(stripe_on.objects[sub["id"]])))
    assert _state(user).state == states.ACTIVE
    # The older event arrives late: it is re-read, and Stripe says active.
    deliver(client, event("customer.subscription.created", stale_payload))
    assert _state(user).state == states.ACTIVE


def test_a_late_event_about_an_old_subscription_does_not_end_the_new_one(ctx, client, stripe_on):
    user, membership, new_sub = make_stripe_member(stripe_on)
    old_sub = stripe_on.add_subscription(customer=membership.stripe_customer_id, status="canceled",
                                         membership_id=membership.id)
    deliver(client, event("customer.subscription.deleted", old_sub))
    m = _state(user)
    assert m.state == states.ACTIVE and m.stripe_subscription_id == new_sub["id"]


# Failure and retry ----------------------------------------------------------------------------
def test_a_failure_midway_rolls_back_and_the_retry_succeeds(ctx, client, stripe_on):
    user, membership, sub = make_stripe_member(stripe_on)
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], amount_paid=15000)
    evt = event("invoice.paid", invoice)
    stripe_on.failures.append((200, stripe_on.objects[invoice["id"]]))  # the invoice reads fine…
    stripe_on.break_next()  # …then Stripe fails on the subscription
    r = deliver(client, evt)
    assert r.status_code == 500
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 0
    assert db.session.get(StripeEvent, evt["id"]) is None
    r = deliver(client, evt)
    assert r.status_code == 200 and r.get_json() == {"outcome": "processed"}
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 1


def test_a_database_failure_rolls_back_the_payment_and_answers_500(ctx, client, stripe_on, monkeypatch):
    from club.billing import subscriptions

    user, membership, sub = make_stripe_member(stripe_on, status="past_due", state=states.ACTIVE)
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], amount_paid=0,
                                    status="open")
    evt = event("invoice.payment_failed", invoice)
    real = subscriptions.apply_subscription

    def explode(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("database went away")

    monkeypatch.setattr(subscriptions, "apply_subscription", explode)
    assert deliver(client, evt).status_code == 500
    assert _state(user).state == states.ACTIVE and not _audit("billing.payment_failed")
    monkeypatch.setattr(subscriptions, "apply_subscription", real)
    assert deliver(client, evt).status_code == 200
    assert _state(user).state == states.PAST_DUE


# Every transition -----------------------------------------------------------------------------
@pytest.mark.parametrize("event_type, start, status, cancel, expected", [
    ("customer.subscription.created", states.PENDING_PAYMENT, "active", False, states.ACTIVE),
    ("customer.subscription.created", states.PENDING_PAYMENT, "trialing", False, states.ACTIVE),
    ("customer.subscription.created", states.PENDING_PAYMENT, "incomplete", False, states.PENDING_PAYMENT),
    ("customer.subscription.updated", states.PENDING_PAYMENT, "incomplete_expired", False, states.PENDING_PAYMENT),
    ("customer.subscription.updated", states.ACTIVE, "active", True, states.CANCELLING),
    # paid and cancelled before we heard of either: active in between, then cancelling
    ("customer.subscription.updated", states.PENDING_PAYMENT, "active", True, states.CANCELLING),
    ("customer.subscription.updated", states.CANCELLING, "active", False, states.ACTIVE),
    ("customer.subscription.updated", states.ACTIVE, "past_due", False, states.PAST_DUE),
    ("customer.subscription.updated", states.PAST_DUE, "active", False, states.ACTIVE),
    ("customer.subscription.updated", states.PAST_DUE, "unpaid", False, states.LAPSED),
    ("customer.subscription.updated", states.ACTIVE, "paused", False, states.LAPSED),
    ("customer.subscription.deleted", states.PAST_DUE, "canceled", False, states.LAPSED),
    ("customer.subscription.deleted", states.CANCELLING, "canceled", True, states.ENDED),
    ("invoice.paid", states.PAST_DUE, "active", False, states.ACTIVE),
    ("invoice.paid", states.LAPSED, "active", False, states.ACTIVE),
    ("invoice.payment_failed", states.ACTIVE, "past_due", False, states.PAST_DUE),
    ("checkout.session.completed", states.PENDING_PAYMENT, "active", False, states.ACTIVE),
    ("checkout.session.completed", states.LAPSED, "active", False, states.ACTIVE),
])
def test_state_transitions(ctx, client, stripe_on, event_type, start, status, cancel, expected):
    user, membership, sub = make_stripe_member(stripe_on, state=start, status=status, cancel_at_period_end=cancel)
    if event_type.startswith("invoice."):
        obj = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"],
                                    amount_paid=15000 if event_type == "invoice.paid" else 0,
                                    status="paid" if event_type == "invoice.paid" else "open")
    elif event_type == "checkout.session.completed":
        obj = stripe_on.add_checkout_session(customer=membership.stripe_customer_id, membership_id=membership.id,
                                             subscription=sub["id"])
    else:
        obj = sub
    r = deliver(client, event(event_type, obj))
    assert r.status_code == 200
    assert _state(user).state == expected
    if start != expected:
        entry = _audit("membership.state_changed")[-1]
        assert entry.details["new"] == expected and entry.details["subscription"] == sub["id"]


# Card failure, grace, recovery ----------------------------------------------------------------
def test_a_failed_payment_mails_a_link_and_starts_the_grace_period(ctx, client, stripe_on, outbox):
    user, membership, sub = make_stripe_member(stripe_on, status="past_due")
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], status="open")
    before = utcnow()
    deliver(client, event("invoice.payment_failed", invoice))
    m = _state(user)
    assert m.state == states.PAST_DUE
    assert before + timedelta(days=7) <= m.grace_until <= utcnow() + timedelta(days=7)
    mail, = outbox.to(user.email)
    assert "http://club.test/billing" in mail.get_content() and "did not go through" in mail["Subject"]
    assert _audit("billing.payment_failed")[0].details["invoice"] == invoice["id"]
    # The member keeps access during grace, and sees why.
    from tests.factories import login
    login(client, user)
    body = client.get("/billing").get_data(as_text=True)
    assert "Your last payment did not go through" in body and "Update your card" in body
    # Recovery: the card is fixed, Stripe collects.
    stripe_on.set_subscription(sub["id"], status="active")
    paid = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], amount_paid=15000)
    deliver(client, event("invoice.paid", paid))
    m = _state(user)
    assert m.state == states.ACTIVE and m.grace_until is None


def test_grace_ends_into_lapsed_even_if_stripe_still_says_past_due(ctx, client, stripe_on):
    user, membership, sub = make_stripe_member(stripe_on, state=states.PAST_DUE, status="past_due")
    membership.grace_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    deliver(client, event("customer.subscription.updated", sub))
    assert _state(user).state == states.LAPSED


def test_grace_still_running_keeps_access(ctx, client, stripe_on):
    user, membership, sub = make_stripe_member(stripe_on, state=states.PAST_DUE, status="past_due")
    membership.grace_until = utcnow() + timedelta(minutes=1)
    db.session.commit()
    deliver(client, event("customer.subscription.updated", sub))
    assert _state(user).state == states.PAST_DUE


def test_a_suspended_member_stays_suspended_but_reinstates_to_what_stripe_says(ctx, client, stripe_on):
    user, membership, sub = make_stripe_member(stripe_on, state=states.SUSPENDED, status="past_due")
    membership.suspended_from = states.ACTIVE
    db.session.commit()
    deliver(client, event("customer.subscription.updated", sub))
    m = _state(user)
    assert m.state == states.SUSPENDED and m.suspended_from == states.PAST_DUE


def test_two_deliveries_racing_past_the_check_record_the_effect_once(ctx, client, stripe_on, monkeypatch):
    from club.billing import webhooks

    user, membership, sub = make_stripe_member(stripe_on)
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], amount_paid=15000)
    evt = event("invoice.paid", invoice)
    # Both deliveries pass the "seen?" checks, as two concurrent requests could; the event id's
    # primary key stops the second, and its payment row goes with it.
    monkeypatch.setattr(webhooks, "_already_processed", lambda _id: False)
    assert deliver(client, evt).get_json() == {"outcome": "processed"}
    assert deliver(client, evt).get_json() == {"outcome": "duplicate"}
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 1
    assert len(_audit("billing.payment_received")) == 1


# Issue 12: lifecycle cases -------------------------------------------------------------------
def test_an_old_subscription_still_retrying_cannot_take_over_from_the_new_one(ctx, client, priced, outbox):
    # Lapsed at the end of grace while Stripe still retries the old past-due subscription.
    user, membership, old = make_stripe_member(priced, state=states.LAPSED, status="past_due")
    login(client, user)
    assert client.post("/billing/checkout", data={"plan": "monthly"}).status_code == 303
    session, = [o for o in priced.objects.values() if o.get("object") == "checkout.session"]
    new = priced.complete_checkout(session["id"])
    assert deliver(client, event("checkout.session.completed", session)).get_json() == {"outcome": "processed"}
    m = _state(user)
    assert (m.state, m.stripe_subscription_id) == (states.ACTIVE, new["id"])
    # Starting the new subscription cancelled the old one at Stripe: it can charge no more.
    assert [c.path for c in priced.calls("DELETE", "/v1/subscriptions/")] == [f"/v1/subscriptions/{old['id']}"]
    assert priced.objects[old["id"]]["status"] == "canceled"
    # Late events about the old one (a retry that failed, then Stripe giving up) move nothing.
    priced.set_subscription(old["id"], status="past_due")
    failed = priced.add_invoice(customer=m.stripe_customer_id, subscription=old["id"], status="open")
    assert deliver(client, event("invoice.payment_failed", failed)).get_json() == {"outcome": "processed"}
    m = _state(user)
    assert (m.state, m.stripe_subscription_id, m.grace_until) == (states.ACTIVE, new["id"], None)
    priced.set_subscription(old["id"], status="canceled")
    assert deliver(client, event("customer.subscription.deleted", priced.objects[old["id"]])).status_code == 200
    assert _state(user).state == states.ACTIVE
    assert not outbox.to(user.email)  # no "payment failed" mail about a subscription they left behind


def test_a_3d_secure_renewal_mails_a_link_to_confirm_the_payment(ctx, client, stripe_on, outbox):
    user, membership, sub = make_stripe_member(stripe_on)
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], status="open",
                                    amount_due=15000)
    evt = event("invoice.payment_action_required", invoice)
    assert deliver(client, evt).get_json() == {"outcome": "processed"}
    assert deliver(client, evt).get_json() == {"outcome": "duplicate"}
    mail, = outbox.to(user.email)
    assert "Please confirm your membership payment" in mail["Subject"]
    body = mail.get_content()
    assert "http://club.test/billing" in body and "€150.00" in body
    assert _state(user).state == states.ACTIVE
    assert _audit("billing.payment_action_required")


def test_a_webhook_for_an_unknown_customer_is_not_stored_so_stripe_retries(ctx, client, stripe_on):
    sub = stripe_on.add_subscription(customer="cus_nobody_yet")  # no membership metadata either
    evt = event("customer.subscription.updated", sub)
    r = deliver(client, evt)
    assert r.status_code == 500 and r.get_json() == {"outcome": "unknown customer"}
    assert db.session.get(StripeEvent, evt["id"]) is None
    # Once the customer is known (checkout told us), Stripe's retry is processed.
    user = make_applicant()
    membership_of(user).stripe_customer_id = "cus_nobody_yet"
    db.session.commit()
    assert deliver(client, evt).get_json() == {"outcome": "processed"}
    assert _state(user).state == states.ACTIVE and db.session.get(StripeEvent, evt["id"]) is not None
    invoice = stripe_on.add_invoice(customer="cus_stranger", subscription=None, amount_paid=100)
    assert deliver(client, event("invoice.paid", invoice)).status_code == 500
    assert db.session.scalar(db.select(Payment).where(Payment.stripe_invoice_id == invoice["id"])) is None


@pytest.mark.parametrize("body", [
    b"[]", b"42", b'"evt"', b"null", b'{"id": 7, "type": "invoice.paid"}',
    b'{"id": "evt_1", "type": "invoice.paid", "data": []}',
    b'{"id": "evt_1", "type": "invoice.paid", "data": {"object": "in_1"}}',
    b'{"id": "evt_1", "type": "invoice.paid", "data": {"object": {"id": {"nested": 1}}}}',
    ('{"id": "evt_' + "x" * 300 + '", "type": "invoice.paid", "data": {"object": {"id": "in_1"}}}').encode(),
])
def test_a_signed_but_malformed_body_gets_400(ctx, client, stripe_on, body):
    import stripe

    from tests.billing.conftest import WEBHOOK_SECRET

    header = stripe.WebhookSignature.generate_signature_header(body.decode(), WEBHOOK_SECRET, timestamp=int(time.time()))
    r = client.post("/billing/webhook", data=body, headers={"Stripe-Signature": header,
                                                            "Content-Type": "application/json"})
    assert r.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(StripeEvent)) == 0
