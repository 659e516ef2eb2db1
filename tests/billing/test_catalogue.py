"""stripe-sync: the Stripe product and prices by lookup key, created once, replaced when a fee changes."""
from club.core import settings
from club.extensions import db


def test_stripe_sync_creates_the_catalogue_once(app, ctx, stripe_on):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["stripe-sync"])
    assert first.exit_code == 0, first.output
    assert "product club_membership: created" in first.output
    assert first.output.count(": created price_") == 3
    product_call, = stripe_on.calls("POST", "/v1/products")
    assert product_call.params == {"id": "club_membership", "name": "The Linden Club membership"}
    monthly = next(c for c in stripe_on.calls("POST", "/v1/prices") if c.params["lookup_key"] == "club_membership_monthly")
    assert monthly.params == {"product": "club_membership", "unit_amount": "15000", "currency": "eur",
                              "lookup_key": "club_membership_monthly", "transfer_lookup_key": "true",
                              "recurring[interval]": "month"}
    assert monthly.idempotency_key
    posts = len([r for r in stripe_on.requests if r.method == "POST"])
    second = runner.invoke(args=["stripe-sync"])
    assert second.exit_code == 0
    assert second.output.count("unchanged") == 4
    assert len([r for r in stripe_on.requests if r.method == "POST"]) == posts  # running it twice changes nothing


def test_stripe_sync_replaces_a_price_whose_fee_changed(app, ctx, stripe_on):
    runner = app.test_cli_runner()
    runner.invoke(args=["stripe-sync"])
    old_id = next(o["id"] for o in stripe_on.objects.values() if o.get("lookup_key") == "club_membership_annual")
    settings.update({"fee_annual_cents": 160000})
    db.session.commit()
    result = runner.invoke(args=["stripe-sync"])
    assert f"price club_membership_annual: replaced {old_id}" in result.output
    assert stripe_on.objects[old_id]["active"] is False
    new = [o for o in stripe_on.objects.values() if o.get("lookup_key") == "club_membership_annual"]
    assert [o["unit_amount"] for o in new] == [160000]


def test_stripe_sync_without_keys_says_so(app, ctx):
    result = app.test_cli_runner().invoke(args=["stripe-sync"])
    assert result.exit_code != 0 and "STRIPE_SECRET_KEY is not set" in result.output
