"""Paying through Stripe Checkout: the requests the SDK sends, errors, the success page, the portal."""
import pytest

from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.club import AuditEntry
from tests.billing.factories import make_applicant, make_plan, make_stripe_member
from tests.factories import login, make_member


def test_without_keys_the_applicant_is_told_the_club_arranges_payment(ctx, client):
    login(client, make_applicant())
    body = client.get("/billing").get_data(as_text=True)
    assert "The club arranges payment with you" in body
    assert 'name="plan"' not in body  # no pretend checkout
    r = client.post("/billing/checkout", data={"plan": "monthly"})
    assert r.status_code == 400 and "not set up" in r.get_data(as_text=True)


def test_choosing_a_plan_creates_a_customer_and_a_checkout_session_with_the_initiation_fee(ctx, client, priced):
    user = make_applicant()
    login(client, user)
    r = client.post("/billing/checkout", data={"plan": "annual"})
    assert r.status_code == 303
    assert r.headers["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")

    customer_call, = priced.calls("POST", "/v1/customers")
    assert customer_call.params["email"] == user.email
    assert customer_call.idempotency_key == f"customer-membership-{membership_of(user).id}"
    session_call, = priced.calls("POST", "/v1/checkout/sessions")
    p = session_call.params
    prices = {o["lookup_key"]: o["id"] for o in priced.objects.values() if o.get("object") == "price"}
    assert p["mode"] == "subscription"
    assert p["customer"] == membership_of(user).stripe_customer_id
    plan = priced.plan.id
    assert p["line_items[0][price]"] == prices[f"club_plan_{plan}_annual"]
    assert p["line_items[1][price]"] == prices[f"club_plan_{plan}_initiation"]
    assert p["subscription_data[metadata][plan_id]"] == str(plan)
    assert p["client_reference_id"] == str(membership_of(user).id)
    assert p["subscription_data[metadata][initiation]"] == "yes"
    assert p["success_url"].endswith("/billing/success?session_id={CHECKOUT_SESSION_ID}")
    assert session_call.idempotency_key.startswith(f"checkout-{membership_of(user).id}-annual-")
    assert session_call.headers.get("Authorization") == "Bearer sk_test_club_fake"
    # Choosing a plan is not paying: still awaiting payment.
    assert membership_of(user).state == states.PENDING_PAYMENT


def test_a_double_submit_reuses_the_customer_and_the_session(ctx, client, priced):
    user = make_applicant()
    login(client, user)
    first = client.post("/billing/checkout", data={"plan": "monthly"})
    second = client.post("/billing/checkout", data={"plan": "monthly"})
    assert first.headers["Location"] == second.headers["Location"]
    assert len(priced.calls("POST", "/v1/customers")) == 1
    keys = {c.idempotency_key for c in priced.calls("POST", "/v1/checkout/sessions")}
    assert len(keys) == 1


def test_no_initiation_fee_when_it_was_paid_before(ctx, client, priced):
    user = make_member(state=states.LAPSED, kind="stripe")
    membership_of(user).initiation_paid = True
    db.session.commit()
    login(client, user)
    assert client.post("/billing/checkout", data={"plan": "monthly"}).status_code == 303
    call, = priced.calls("POST", "/v1/checkout/sessions")
    assert "line_items[1][price]" not in call.params
    assert call.params["subscription_data[metadata][initiation]"] == "no"


def test_a_missing_plan_is_shown_next_to_the_field(ctx, client, priced):
    login(client, make_applicant())
    r = client.post("/billing/checkout", data={"plan": "weekly"})
    assert r.status_code == 400
    assert 'id="plan-error"' in r.get_data(as_text=True)
    assert not priced.calls("POST", "/v1/checkout/sessions")


@pytest.mark.parametrize("failure", ["decline", "down"])
def test_stripe_errors_show_a_clear_message_and_leave_nothing_half_done(ctx, client, priced, failure):
    user = make_applicant()
    login(client, user)
    if failure == "decline":
        priced.decline_next()
        expected = "Your card was declined."
    else:
        priced.break_next()
        expected = "Payment is not available right now. Nothing was charged"
    r = client.post("/billing/checkout", data={"plan": "monthly"})
    assert r.status_code == 400
    assert expected in r.get_data(as_text=True)
    membership = membership_of(user)
    assert membership.state == states.PENDING_PAYMENT and membership.stripe_customer_id is None
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "billing.checkout_started")) is None


def test_stripe_unreachable_is_a_clear_message(ctx, client, stripe_on, monkeypatch, app):
    make_plan()
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", "http://127.0.0.1:9")  # nothing listens there
    login(client, make_applicant())
    r = client.post("/billing/checkout", data={"plan": "monthly"})
    assert r.status_code == 400 and "Nothing was charged" in r.get_data(as_text=True)


def test_prices_not_synced_is_a_clear_message(ctx, client, stripe_on):
    make_plan()
    login(client, make_applicant())
    r = client.post("/billing/checkout", data={"plan": "monthly"})
    assert r.status_code == 400 and "prices are not set up" in r.get_data(as_text=True)


def test_active_members_cannot_start_another_checkout(ctx, client, priced):
    login(client, make_member())
    r = client.post("/billing/checkout", data={"plan": "monthly"})
    assert r.status_code == 400 and "does not need a payment" in r.get_data(as_text=True)


def test_the_success_page_never_activates_from_the_query_string(ctx, client, priced):
    user = make_applicant()
    membership = membership_of(user)
    membership.stripe_customer_id = "cus_x"
    db.session.commit()
    login(client, user)
    # A made-up id, and an open session: both only "confirming".
    r = client.get("/billing/success?session_id=cs_test_made_up")
    assert "Confirming your payment" in r.get_data(as_text=True)
    open_session = priced.add_checkout_session(customer="cus_x", membership_id=membership.id, subscription=None,
                                               status="open")
    r = client.get(f"/billing/success?session_id={open_session['id']}")
    assert "Confirming your payment" in r.get_data(as_text=True)
    db.session.expire_all()
    assert membership_of(user).state == states.PENDING_PAYMENT


def test_the_success_page_confirms_from_stripe_when_the_session_is_complete(ctx, client, priced):
    user = make_applicant()
    membership = membership_of(user)
    membership.stripe_customer_id = "cus_y"
    db.session.commit()
    sub = priced.add_subscription(customer="cus_y", membership_id=membership.id, initiation=True, interval="year")
    session = priced.add_checkout_session(customer="cus_y", membership_id=membership.id, subscription=sub["id"])
    login(client, user)
    r = client.get(f"/billing/success?session_id={session['id']}")
    assert "Your membership is active" in r.get_data(as_text=True)
    db.session.expire_all()
    membership = membership_of(user)
    assert membership.state == states.ACTIVE and membership.plan == "annual" and membership.initiation_paid
    assert membership.stripe_subscription_id == sub["id"]


def test_someone_elses_session_does_not_count(ctx, client, priced):
    user, other = make_applicant(), make_applicant()
    sub = priced.add_subscription(customer="cus_other", membership_id=membership_of(other).id)
    session = priced.add_checkout_session(customer="cus_other", membership_id=membership_of(other).id,
                                          subscription=sub["id"])
    login(client, user)
    r = client.get(f"/billing/success?session_id={session['id']}")
    assert "Confirming your payment" in r.get_data(as_text=True)
    db.session.expire_all()
    assert membership_of(user).state == states.PENDING_PAYMENT


def test_the_portal_sends_the_member_to_stripe(ctx, client, priced):
    user, membership, _sub = make_stripe_member(priced)
    login(client, user)
    r = client.post("/billing/portal")
    assert r.status_code == 303 and r.headers["Location"].startswith("https://billing.stripe.com/")
    call, = priced.calls("POST", "/v1/billing_portal/sessions")
    assert call.params == {"customer": membership.stripe_customer_id, "return_url": "http://club.test/billing"}


# Issue 12: one open Checkout Session per membership ----------------------------------------------
def _sessions(fake):
    return [o for o in fake.objects.values() if o.get("object") == "checkout.session"]


def test_a_checkout_an_hour_later_reuses_the_open_session(ctx, client, priced, monkeypatch):
    from datetime import timedelta

    from club.models.base import utcnow

    user = make_applicant()
    login(client, user)
    first = client.post("/billing/checkout", data={"plan": "monthly"})
    later = utcnow() + timedelta(hours=1)
    monkeypatch.setattr("club.billing.checkout.utcnow", lambda: later, raising=False)  # across the hour
    second = client.post("/billing/checkout", data={"plan": "monthly"})
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_sessions(priced)) == 1


def test_choosing_another_plan_expires_the_open_session(ctx, client, priced):
    user = make_applicant()
    login(client, user)
    client.post("/billing/checkout", data={"plan": "monthly"})
    r = client.post("/billing/checkout", data={"plan": "annual"})
    monthly, annual = _sessions(priced)
    assert (monthly["status"], annual["status"]) == ("expired", "open")
    assert r.headers["Location"] == annual["url"]
    assert [c.path for c in priced.calls("POST", "/v1/checkout/sessions/")] == [
        f"/v1/checkout/sessions/{monthly['id']}/expire"]
    # Back to monthly: a new session (the expired one cannot be paid), the annual one expired.
    third = client.post("/billing/checkout", data={"plan": "monthly"})
    assert [s["status"] for s in _sessions(priced)] == ["expired", "expired", "open"]
    assert third.headers["Location"] == _sessions(priced)[-1]["url"]


def test_no_checkout_while_a_subscription_is_paid_for(ctx, client, priced):
    # The membership says lapsed (an event was lost) but Stripe has a paid-for subscription.
    user, membership, sub = make_stripe_member(priced, state=states.LAPSED, status="active")
    login(client, user)
    r = client.post("/billing/checkout", data={"plan": "monthly"})
    assert r.status_code == 400 and "already have a subscription" in r.get_data(as_text=True)
    assert not priced.calls("POST", "/v1/checkout/sessions")
    db.session.expire_all()
    assert membership_of(user).state == states.ACTIVE  # brought in line with Stripe


def test_promotion_codes_are_offered_when_the_club_allows_them(ctx, client, priced):
    from club.core import settings

    settings.update({"promotion_codes": True})
    db.session.commit()
    login(client, make_applicant())
    client.post("/billing/checkout", data={"plan": "monthly"})
    call, = priced.calls("POST", "/v1/checkout/sessions")
    assert call.params["allow_promotion_codes"] == "true"


# Issue 12: Stripe's prices are what is shown and what is charged --------------------------------
def test_the_page_shows_the_price_checkout_charges_not_the_fee_setting(ctx, client, priced):
    priced.plan.monthly_cents, priced.plan.initiation_cents = 20000, 0  # changed, but not synced to Stripe
    db.session.commit()
    login(client, make_applicant())
    body = client.get("/billing").get_data(as_text=True)
    assert "€150.00" in body and "€200.00" not in body
    assert "initiation fee of €500.00" in body  # Stripe still charges it, so the page says so
    client.post("/billing/checkout", data={"plan": "monthly"})
    call, = priced.calls("POST", "/v1/checkout/sessions")
    monthly = next(o for o in priced.objects.values() if o.get("lookup_key") == f"club_plan_{priced.plan.id}_monthly")
    assert call.params["line_items[0][price]"] == monthly["id"] and monthly["unit_amount"] == 15000
    assert "line_items[1][price]" in call.params


def test_the_page_offers_no_plans_when_stripe_prices_cannot_be_read(ctx, client, priced):
    login(client, make_applicant())
    priced.break_next()
    body = client.get("/billing").get_data(as_text=True)
    assert "prices cannot be loaded" in body and 'name="plan"' not in body


def test_a_session_id_with_control_characters_only_confirms_never_errs(ctx, client, priced):
    user = make_applicant()
    login(client, user)
    for junk in ("%00", "cs_%00test", "%0d%0acs_test", "x" * 5000):
        r = client.get(f"/billing/success?session_id={junk}")
        assert r.status_code == 200 and "Confirming your payment" in r.get_data(as_text=True)
    db.session.expire_all()
    assert membership_of(user).state == states.PENDING_PAYMENT
