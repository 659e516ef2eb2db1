"""The owner's plans: made and changed in the browser, mirrored in Stripe, chosen by applicants."""
import threading

import pytest

from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.billing import Plan
from tests.billing.conftest import deliver, event
from tests.billing.factories import make_applicant, make_plan, make_stripe_member
from tests.factories import login, make_admin, make_member

NEW_PLAN = {"name": "Couple", "description": "Two members sharing a household.", "monthly": "240.00",
            "annual": "2400", "initiation": "750.50"}


def _prices(fake, key):
    return [o for o in fake.objects.values() if o.get("object") == "price" and o.get("lookup_key") == key]


def test_only_admins_reach_the_plan_pages(ctx, client):
    plan = make_plan()
    assert client.get("/admin/plans").status_code == 302  # sign in first
    login(client, make_member())
    for path in ("/admin/plans", "/admin/plans/new", f"/admin/plans/{plan.id}"):
        assert client.get(path).status_code == 403
    assert client.post("/admin/plans/new", data=NEW_PLAN).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Plan)) == 1


def test_an_admin_creates_a_plan_and_stripe_gets_its_product_and_prices(ctx, client, stripe_on):
    login(client, make_admin())
    r = client.post("/admin/plans/new", data=NEW_PLAN)
    assert r.status_code == 303
    plan = db.session.scalars(db.select(Plan)).one()
    assert (plan.name, plan.monthly_cents, plan.annual_cents, plan.initiation_cents, plan.active) == (
        "Couple", 24000, 240000, 75050, True)
    assert stripe_on.objects[f"club_plan_{plan.id}"]["name"] == "The Linden Club: Couple"
    monthly, = _prices(stripe_on, f"club_plan_{plan.id}_monthly")
    assert (monthly["unit_amount"], monthly["currency"], plan.stripe_monthly_price_id) == (24000, "eur", monthly["id"])
    body = client.get("/admin/plans").get_data(as_text=True)
    assert "Couple" in body and "€240.00" in body and "€2,400.00" in body and "€750.50" in body


@pytest.mark.parametrize("field, value, error", [
    ("name", "", "Give the plan a name."),
    ("monthly", "", "Enter the monthly price."),
    ("annual", "-5", "Enter an amount above zero."),
    ("monthly", "twelve", "Not a valid decimal value."),
    ("initiation", "-1", "Enter zero or more."),
])
def test_bad_plan_input_is_shown_next_to_the_field_and_kept(ctx, client, field, value, error):
    login(client, make_admin())
    r = client.post("/admin/plans/new", data={**NEW_PLAN, field: value})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and error in body and f'id="{field}-error"' in body
    assert 'value="Two members sharing a household."' in body  # what was typed is kept
    assert db.session.scalar(db.select(db.func.count()).select_from(Plan)) == 0


def test_a_double_submit_makes_one_plan_and_a_name_is_used_once(ctx, client):
    login(client, make_admin())
    assert client.post("/admin/plans/new", data=NEW_PLAN).status_code == 303
    assert client.post("/admin/plans/new", data=NEW_PLAN).status_code == 303  # the same form again
    r = client.post("/admin/plans/new", data={**NEW_PLAN, "monthly": "99"})
    assert r.status_code == 400 and "There is already a plan with that name." in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Plan)) == 1


def test_two_submits_at_the_same_instant_make_one_plan(app, ctx):
    from club.billing.plans import PlanAmounts, save_plan
    from club.models.user import User

    admin_id = make_admin().id  # read here: the threads must not touch this session's objects
    barrier, made = threading.Barrier(4, timeout=20), []

    def submit():
        with app.test_request_context():
            actor = db.session.get(User, admin_id)
            barrier.wait()
            try:
                made.append(save_plan(None, PlanAmounts("Couple", "", 24000, 240000, 0), actor=actor)[0].id)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Plan)) == 1
    assert len(made) == 4 and len(set(made)) == 1  # every submit was answered with the one plan


def test_a_changed_price_is_charged_at_the_next_checkout_and_subscribers_keep_theirs(ctx, client, app, priced):
    plan = priced.plan
    subscriber, membership, sub = make_stripe_member(priced)
    old_price = next(p for p in _prices(priced, f"club_plan_{plan.id}_monthly"))
    priced.set_subscription(sub["id"])
    sub["items"]["data"][0]["price"] = old_price
    membership.plan_id = plan.id
    membership.stripe_price_id = old_price["id"]
    db.session.commit()
    admin_client = app.test_client()
    login(admin_client, make_admin())
    r = admin_client.post(f"/admin/plans/{plan.id}", data={"name": "Individual", "description": "One member.",
                                                          "monthly": "175", "annual": "1500", "initiation": "500"})
    assert r.status_code == 303
    assert priced.objects[old_price["id"]]["active"] is False  # archived: nobody new pays it
    new_price, = _prices(priced, f"club_plan_{plan.id}_monthly")
    assert new_price["unit_amount"] == 17500 and new_price["id"] != old_price["id"]
    # The existing subscriber still pays the old price; Stripe was not asked to change it.
    assert not [c for c in priced.calls("POST", f"/v1/subscriptions/{sub['id']}")]
    page = admin_client.get(f"/admin/plans/{plan.id}").get_data(as_text=True)
    assert subscriber.full_name in page and "an earlier price" in page
    # The next applicant sees and is charged the new price.
    login(client, make_applicant())
    assert "€175.00" in client.get("/billing").get_data(as_text=True)
    client.post("/billing/checkout", data={"plan": "monthly"})
    call, = priced.calls("POST", "/v1/checkout/sessions")
    assert call.params["line_items[0][price]"] == new_price["id"]
    # The admin moves the subscriber to the current price: Stripe changes the item (and prorates).
    r = admin_client.post(f"/admin/plans/{plan.id}/members/{membership.id}/move", data={"move-plan_id": plan.id})
    assert r.status_code == 303
    move, = [c for c in priced.calls("POST", f"/v1/subscriptions/{sub['id']}") if "items[0][price]" in c.params]
    assert move.params["items[0][price]"] == new_price["id"] and move.params["metadata[plan_id]"] == str(plan.id)
    db.session.expire_all()
    assert membership_of(subscriber).stripe_price_id == new_price["id"]


def test_moving_a_member_to_another_plan(ctx, client, priced):
    couple = make_plan("Couple", monthly=24000, annual=240000)
    user, membership, sub = make_stripe_member(priced)
    membership.plan_id = priced.plan.id
    db.session.commit()
    login(client, make_admin())
    client.post(f"/admin/plans/{priced.plan.id}/members/{membership.id}/move", data={"move-plan_id": couple.id})
    db.session.expire_all()
    m = membership_of(user)
    assert m.plan_id == couple.id and m.stripe_price_id == couple.stripe_monthly_price_id
    assert priced.objects[m.stripe_price_id]["unit_amount"] == 24000
    assert user.full_name in client.get(f"/admin/plans/{couple.id}").get_data(as_text=True)


def test_the_applicant_chooses_among_the_active_plans_and_the_membership_records_it(ctx, client, priced):
    couple = make_plan("Couple", monthly=24000, annual=240000, initiation=0)
    make_plan("Founders", monthly=1000, annual=10000, active=False)
    for what, amount, interval in (("monthly", 24000, "month"), ("annual", 240000, "year")):
        priced.add_price(f"club_plan_{couple.id}_{what}", amount, interval, product=f"club_plan_{couple.id}")
    user = make_applicant()
    login(client, user)
    body = client.get("/billing").get_data(as_text=True)
    assert "Individual" in body and "Couple" in body and "Founders" not in body  # retired: not offered
    assert "€240.00" in body
    r = client.post("/billing/checkout", data={"plan_id": couple.id, "plan": "annual"})
    assert r.status_code == 303
    call, = priced.calls("POST", "/v1/checkout/sessions")
    annual, = _prices(priced, f"club_plan_{couple.id}_annual")
    assert call.params["line_items[0][price]"] == annual["id"] and "line_items[1][price]" not in call.params
    session_id = r.headers["Location"].rsplit("/", 1)[1]
    priced.complete_checkout(session_id)
    deliver(client, event("checkout.session.completed", priced.objects[session_id]))
    db.session.expire_all()
    m = membership_of(user)
    assert (m.state, m.plan_id, m.plan, m.stripe_price_id) == (states.ACTIVE, couple.id, "annual", annual["id"])
    assert "Couple, paid annually" in client.get("/billing").get_data(as_text=True)


def test_a_retired_plan_cannot_be_chosen(app, ctx, client, priced):
    other = make_plan("Couple")
    login(client, make_admin())
    client.post(f"/admin/plans/{other.id}/active", data={"active": "no"})
    assert priced.objects[f"club_plan_{other.id}"]["active"] is False
    client = app.test_client()
    login(client, make_applicant())
    r = client.post("/billing/checkout", data={"plan_id": other.id, "plan": "monthly"})
    assert r.status_code == 400 and "Choose one of the club" in r.get_data(as_text=True)
    assert not priced.calls("POST", "/v1/checkout/sessions")


def test_without_stripe_the_applicant_sees_the_plans_and_how_to_pay(ctx, client):
    from club.core import settings

    make_plan()
    make_plan("Under 30", monthly=8000, annual=80000, initiation=20000)
    settings.update({"payment_instructions": "Bank transfer to IBAN GB29 NWBK 6016.\n\nAsk Ruth: ruth@club.example"})
    db.session.commit()
    login(client, make_applicant())
    body = client.get("/billing").get_data(as_text=True)
    assert "Individual" in body and "Under 30" in body and "€80.00" in body and "€200.00" in body
    assert "IBAN GB29 NWBK 6016" in body and "ruth@club.example" in body
    assert 'name="plan"' not in body


def test_billing_settings_currency_promotion_codes_and_instructions(ctx, client, priced):
    from club.core import settings

    login(client, make_admin())
    r = client.post("/admin/plans/settings", data={"settings-currency": "XYZ", "settings-payment_instructions": "x"})
    assert r.status_code == 400 and "not an ISO currency code" in r.get_data(as_text=True)
    r = client.post("/admin/plans/settings", data={"settings-currency": "chf", "settings-promotion_codes": "y",
                                                  "settings-payment_instructions": "Pay at the desk."})
    assert r.status_code == 303
    assert (settings.get("currency"), settings.get("promotion_codes")) == ("chf", True)
    # A new currency re-prices every plan in Stripe.
    monthly, = _prices(priced, f"club_plan_{priced.plan.id}_monthly")
    assert monthly["currency"] == "chf" and monthly["unit_amount"] == 15000
    assert "CHF150.00" in client.get("/admin/plans").get_data(as_text=True)


def test_saving_while_stripe_is_down_keeps_the_plan_and_says_so(ctx, client, stripe_on):
    login(client, make_admin())
    stripe_on.break_next()
    r = client.post("/admin/plans/new", data=NEW_PLAN, follow_redirects=True)
    assert "Stripe could not be updated" in r.get_data(as_text=True)
    plan = db.session.scalars(db.select(Plan)).one()
    assert plan.stripe_monthly_price_id is None
    r = client.post(f"/admin/plans/{plan.id}", data=NEW_PLAN, follow_redirects=True)  # saved again: synced
    db.session.expire_all()
    assert plan.stripe_monthly_price_id is not None
