"""Billing fixtures shared by several test modules (import them by name where used)."""
import pytest


@pytest.fixture
def priced(stripe_on):
    stripe_on.add_price("club_membership_monthly", 15000, "month")
    stripe_on.add_price("club_membership_annual", 150000, "year")
    stripe_on.add_price("club_initiation", 50000, None)
    return stripe_on
