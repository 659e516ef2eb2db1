"""stripe-sync: each plan's Stripe product and prices by lookup key, created once, replaced when a price changes."""
from club.extensions import db
from tests.billing.factories import make_plan


def test_stripe_sync_creates_the_catalogue_once(app, ctx, stripe_on):
    plan = make_plan()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["stripe-sync"])
    assert first.exit_code == 0, first.output
    product = f"club_plan_{plan.id}"
    assert f"product {product}: created" in first.output
    assert first.output.count(": created price_") == 3
    product_call, = stripe_on.calls("POST", "/v1/products")
    assert product_call.params == {"id": product, "name": "The Linden Club: Individual", "active": "true"}
    monthly = next(c for c in stripe_on.calls("POST", "/v1/prices") if c.params["lookup_key"] == f"{product}_monthly")
    assert monthly.params == {"product": product, "unit_amount": "15000", "currency": "eur",
                              "lookup_key": f"{product}_monthly", "transfer_lookup_key": "true",
                              "recurring[interval]": "month"}
    assert monthly.idempotency_key
    db.session.expire_all()
    assert plan.stripe_monthly_price_id == next(o["id"] for o in stripe_on.objects.values()
                                                if o.get("lookup_key") == f"{product}_monthly")
    posts = len([r for r in stripe_on.requests if r.method == "POST"])
    second = runner.invoke(args=["stripe-sync"])
    assert second.exit_code == 0
    assert second.output.count("unchanged") == 4
    assert len([r for r in stripe_on.requests if r.method == "POST"]) == posts  # running it twice changes nothing


def test_stripe_sync_replaces_a_price_whose_amount_changed(app, ctx, stripe_on):
    plan = make_plan()
    key = f"club_plan_{plan.id}_annual"
    runner = app.test_cli_runner()
    runner.invoke(args=["stripe-sync"])
    old_id = next(o["id"] for o in stripe_on.objects.values() if o.get("lookup_key") == key)
    plan.annual_cents = 160000
    db.session.commit()
    result = runner.invoke(args=["stripe-sync"])
    assert f"price {key}: replaced {old_id}" in result.output
    assert stripe_on.objects[old_id]["active"] is False
    new = [o for o in stripe_on.objects.values() if o.get("lookup_key") == key]
    assert [o["unit_amount"] for o in new] == [160000]


def test_dropping_the_initiation_fee_archives_its_price(app, ctx, stripe_on):
    plan = make_plan()
    runner = app.test_cli_runner()
    runner.invoke(args=["stripe-sync"])
    old_id = next(o["id"] for o in stripe_on.objects.values() if o.get("lookup_key") == f"club_plan_{plan.id}_initiation")
    plan.initiation_cents = 0
    db.session.commit()
    assert f"archived {old_id}" in runner.invoke(args=["stripe-sync"]).output
    assert stripe_on.objects[old_id]["active"] is False


def test_a_retired_plan_is_an_inactive_product(app, ctx, stripe_on):
    plan = make_plan(active=False)
    app.test_cli_runner().invoke(args=["stripe-sync"])
    assert stripe_on.objects[f"club_plan_{plan.id}"]["active"] is False


def test_stripe_sync_without_keys_says_so(app, ctx):
    result = app.test_cli_runner().invoke(args=["stripe-sync"])
    assert result.exit_code != 0 and "STRIPE_SECRET_KEY is not set" in result.output
