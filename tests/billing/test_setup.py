"""Stripe set-up: a live key stops the app at start-up; a test key starts it with the webhook route."""
import pytest


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
