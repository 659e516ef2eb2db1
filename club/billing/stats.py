"""Money figures for the owner's metrics: MRR and ARR, money received, initiation fees, failed
payments and their recovery. Plain numbers and rows, one statement each whatever the club's size.

MRR counts every paying membership with access now (Stripe or offline; complimentary ones pay
nothing) at its plan's price: a monthly fee as it is, an annual one as a twelfth.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, case, func, select

from club.extensions import db
from club.membership import states
from club.models.billing import BillingReminder, Payment, Plan
from club.models.membership import Membership


def plan_names() -> dict[int, str]:
    return dict(db.session.execute(select(Plan.id, Plan.name)).all())


def recurring_fees_cents() -> tuple[int, int]:
    """(sum of monthly fees, sum of annual fees) of the paying memberships with access now."""
    row = db.session.execute(
        select(func.sum(case((Membership.plan == "monthly", Plan.monthly_cents), else_=0)),
               func.sum(case((Membership.plan == "annual", Plan.annual_cents), else_=0)))
        .select_from(Membership).join(Plan, Plan.id == Membership.plan_id)
        .where(Membership.state.in_(tuple(states.ACCESS_STATES)), Membership.kind.in_(("stripe", "offline")))).one()
    return int(row[0] or 0), int(row[1] or 0)


def received(start: date, end: date) -> dict:
    """Money recorded as paid on days in ``[start, end)``: total, by source, and initiation fees
    (the plan's fee of each member who joined in the period with the fee paid)."""
    pay = db.session.execute(
        select(func.count(Payment.id), func.coalesce(func.sum(Payment.amount_cents), 0),
               func.coalesce(func.sum(case((Payment.source == "offline", Payment.amount_cents), else_=0)), 0))
        .where(Payment.paid_on >= start, Payment.paid_on < end)).one()
    return {"payments": int(pay[0]), "received_cents": int(pay[1]), "offline_cents": int(pay[2])}


def initiation_fees(start: datetime, end: datetime) -> tuple[int, int]:
    """(members, cents): initiation fees of members who first joined in ``[start, end)`` and paid it."""
    row = db.session.execute(
        select(func.count(Membership.id), func.coalesce(func.sum(Plan.initiation_cents), 0))
        .select_from(Membership).join(Plan, Plan.id == Membership.plan_id)
        .where(Membership.joined_at >= start, Membership.joined_at < end, Membership.initiation_paid.is_(True),
               Plan.initiation_cents > 0)).one()
    return int(row[0]), int(row[1])


def failed_payments(start: datetime, end: datetime) -> list[tuple[datetime, str, datetime | None]]:
    """Each failed payment told to a member in ``[start, end)``: when, the grace period's last day
    (as recorded, ISO date), and when the next payment for that membership was recorded (if any)."""
    later = (select(func.min(Payment.created_at)).where(Payment.membership_id == BillingReminder.membership_id,
                                                        Payment.created_at >= BillingReminder.sent_at)
             .correlate(BillingReminder).scalar_subquery())
    rows = db.session.execute(
        select(BillingReminder.sent_at, BillingReminder.occasion, later)
        .where(BillingReminder.kind == "payment_failed", BillingReminder.sent_at >= start,
               BillingReminder.sent_at < end)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def latest_failed_payment(user_ids: list[int] | Select, since: datetime) -> dict[int, datetime]:
    """For the members-at-risk list: per member (a list of ids, or a SELECT of them), their latest
    failed payment since ``since`` that no payment has followed. One grouped statement."""
    if isinstance(user_ids, list) and not user_ids:
        return {}
    paid_after = (select(Payment.id).where(Payment.membership_id == BillingReminder.membership_id,
                                           Payment.created_at >= BillingReminder.sent_at)
                  .correlate(BillingReminder).exists())
    rows = db.session.execute(
        select(Membership.user_id, func.max(BillingReminder.sent_at))
        .join(Membership, Membership.id == BillingReminder.membership_id)
        .where(BillingReminder.kind == "payment_failed", BillingReminder.sent_at >= since, ~paid_after,
               Membership.user_id.in_(user_ids))
        .group_by(Membership.user_id)).all()
    return dict(rows)
