"""Billing factories: members at each stage of paying, with or without Stripe ids."""
from __future__ import annotations

from datetime import date, timedelta

from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.billing import Plan
from tests.factories import make_member


def make_stripe_member(fake, state: str = states.ACTIVE, *, status: str = "active", **sub_kwargs):
    """A member paying through Stripe, with a customer and subscription known to the fake Stripe."""
    user = make_member(state=state, kind="stripe")
    membership = membership_of(user)
    customer = f"cus_member{membership.id}"
    fake.add_customer(customer, email=user.email, name=user.full_name)
    sub = fake.add_subscription(customer=customer, status=status, membership_id=membership.id, **sub_kwargs)
    membership.stripe_customer_id = customer
    membership.stripe_subscription_id = sub["id"]
    membership.plan = "monthly"
    db.session.commit()
    return user, membership, sub


def make_plan(name: str = "Individual", monthly: int = 15000, annual: int = 150000, initiation: int = 50000,
              active: bool = True, description: str = "One member.") -> Plan:
    plan = Plan(name=name, description=description, monthly_cents=monthly, annual_cents=annual,
                initiation_cents=initiation, active=active)
    db.session.add(plan)
    db.session.commit()
    return plan


def make_applicant(**kwargs):
    """An approved applicant awaiting payment."""
    return make_member(state=states.PENDING_PAYMENT, kind=None, **kwargs)


def payment_form(**overrides):
    """The admin's offline-payment form, filled in; ``overrides`` change fields."""
    today = date.today()
    data = {"pay-amount": "1500.00", "pay-paid_on": today.isoformat(), "pay-reference": "TRANSFER 42",
            "pay-period_start": today.isoformat(), "pay-period_end": (today + timedelta(days=364)).isoformat()}
    data.update(overrides)
    return data
