"""Demo data: the club's three plans, and the second demo member paying the club offline (bank
transfer) on the Individual plan, with their payments on file."""
from __future__ import annotations

from datetime import timedelta

from club.billing.dates import end_of_day
from club.core import settings
from club.extensions import db
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.billing import Payment, Plan
from club.models.user import User

PLANS = (
    ("Individual", "One member, every room and event.", 15000, 150000, 50000),
    ("Couple", "Two members sharing a household.", 24000, 240000, 75000),
    ("Under 30", "Full membership for members under thirty.", 8000, 80000, 20000),
)


def seed_plans() -> list[Plan]:
    plans = []
    for name, description, monthly, annual, initiation in PLANS:
        plan = db.session.scalars(db.select(Plan).where(Plan.name == name)).first()
        if plan is None:
            plan = Plan(name=name, description=description, monthly_cents=monthly, annual_cents=annual,
                        initiation_cents=initiation, active=True)
            db.session.add(plan)
        plans.append(plan)
    settings.update({"payment_instructions": (
        "Transfer the fee to The Linden Club Ltd, IBAN GB29 NWBK 6016 1331 9268 19, with your name as the "
        "reference.\n\nQuestions about paying? Write to the membership secretary at membership@linden.example.")})
    db.session.flush()
    return plans


def seed_demo(people: dict[str, User]) -> None:
    individual = seed_plans()[0]
    second = people["second"]
    membership = membership_of(second)
    if membership is None:
        return
    today = utcnow().date()
    start = today - timedelta(days=40)
    end = start + timedelta(days=364)
    membership.kind = "offline"
    membership.plan = "annual"
    membership.plan_id = individual.id
    membership.initiation_paid = True
    membership.current_period_end = end_of_day(end)
    currency = str(settings.get("currency"))
    for amount, reference in ((individual.initiation_cents, "DEMO-TRANSFER-0001 initiation"),
                              (individual.annual_cents, "DEMO-TRANSFER-0001 annual")):
        db.session.add(Payment(membership_id=membership.id, source="offline", amount_cents=amount,
                               currency=currency, paid_on=start, reference=reference, period_start=start,
                               period_end=end, recorded_by_id=people["admin"].id))
    db.session.flush()
