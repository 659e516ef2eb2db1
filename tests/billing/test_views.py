"""The billing pages: only the member's payment pages let Stripe in through the Content-Security-Policy."""
from __future__ import annotations

import pytest

from club.core.security import content_security_policy
from club.membership.access import membership_of
from tests.billing.factories import make_applicant
from tests.factories import login, make_admin, make_member


def _third_party(csp: str) -> set[str]:
    return {word for word in csp.replace(";", " ").split() if word.startswith("https://")}


def _directive(csp: str, name: str) -> str:
    return next(part.strip() for part in csp.split(";") if part.strip().startswith(name + " "))


def test_the_payment_page_allows_stripe_and_nothing_else_from_outside(ctx, client):
    login(client, make_applicant())
    r = client.get("/billing")
    assert r.status_code == 200
    csp = r.headers["Content-Security-Policy"]
    assert _directive(csp, "script-src") == "script-src 'self' https://js.stripe.com"
    assert "https://checkout.stripe.com" in _directive(csp, "form-action")  # the redirect to Checkout
    assert "https://billing.stripe.com" in _directive(csp, "form-action")  # and to the customer portal
    assert _third_party(csp) and all(origin.endswith(".stripe.com") for origin in _third_party(csp))


@pytest.mark.parametrize("path", ["/", "/login", "/me", "/events", "/admin", "/admin/billing", "ADMIN_MEMBERSHIP",
                                  "/no-such-page"])
def test_every_other_page_allows_no_other_origin(ctx, client, path):
    admin = make_admin()
    member = make_member()
    if path == "ADMIN_MEMBERSHIP":
        path = f"/admin/billing/{membership_of(member).id}"
    login(client, admin if path.startswith("/admin") else member)
    r = client.get(path)
    assert r.status_code < 500
    csp = r.headers["Content-Security-Policy"]
    assert _third_party(csp) == set() and "stripe" not in csp
    assert "frame-src 'none'" in csp and "default-src 'self'" in csp


def test_the_policy_is_stripe_free_unless_asked():
    assert "stripe" not in content_security_policy()
    assert "https://api.stripe.com" in _directive(content_security_policy(stripe=True), "connect-src")
