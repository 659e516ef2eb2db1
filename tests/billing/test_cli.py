"""stripe-sync (catalogue by lookup key, idempotent), sync-billing (repair drift), the test-key guard, the demo."""
from datetime import timedelta

import pytest

from club.core import settings
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from tests.billing.factories import make_stripe_member
from tests.factories import make_member


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
    assert result.exit_code == 0 and f"could not read {sub['id']}" in result.output


def test_sync_billing_without_keys_expires_offline_periods(app, ctx):
    user = make_member(kind="offline")
    membership_of(user).current_period_end = utcnow() - timedelta(hours=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["sync-billing"])
    assert "offline and complimentary memberships only" in result.output and "active -> lapsed" in result.output


@pytest.mark.parametrize("key", ["sk_live_123", "rk_live_123", "pk_test_123"])
def test_a_live_key_stops_the_app_at_start_up(tmp_path, key):
    from club import create_app

    with pytest.raises(RuntimeError, match="not a Stripe test-mode key"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "STRIPE_SECRET_KEY": key,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}"})


def test_a_test_key_starts(tmp_path):
    from club import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "STRIPE_SECRET_KEY": "sk_test_123",
                      "STRIPE_WEBHOOK_SECRET": "whsec_1", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.sqlite'}"})
    assert "billing.webhook" in {rule.endpoint for rule in app.url_map.iter_rules()}


def test_the_demo_has_an_offline_payer(app, ctx):
    from club.demo import seed
    from club.models.billing import Payment

    assert seed()
    payments = db.session.scalars(db.select(Payment)).all()
    assert {p.source for p in payments} == {"offline"} and len(payments) == 2
    assert payments[0].membership.kind == "offline" and payments[0].membership.state == states.ACTIVE
