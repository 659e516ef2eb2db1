"""Demo data: the second demo member pays the club offline (bank transfer), with their payments on file."""
from __future__ import annotations

from datetime import timedelta

from club.billing.dates import end_of_day
from club.core import settings
from club.extensions import db
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.user import User
from club.models.billing import Payment


def seed_demo(people: dict[str, User]) -> None:
    second = people["second"]
    membership = membership_of(second)
    if membership is None:
        return
    today = utcnow().date()
    start = today - timedelta(days=40)
    end = start + timedelta(days=364)
    membership.kind = "offline"
    membership.plan = "annual"
    membership.initiation_paid = True
    membership.current_period_end = end_of_day(end)
    currency = str(settings.get("currency"))
    for amount, reference in ((int(settings.get("fee_initiation_cents")), "DEMO-TRANSFER-0001 initiation"),
                              (int(settings.get("fee_annual_cents")), "DEMO-TRANSFER-0001 annual")):
        db.session.add(Payment(membership_id=membership.id, source="offline", amount_cents=amount,
                               currency=currency, paid_on=start, reference=reference, period_start=start,
                               period_end=end, recorded_by_id=people["admin"].id))
    db.session.flush()
