"""A member's payments for their data export (the member portal's "download my data")."""
from __future__ import annotations

from club.extensions import db
from club.models.billing import Payment


def payments_for_export(membership_id: int) -> list[dict]:
    """Every payment of the membership, oldest first, as plain values."""
    rows = db.session.scalars(db.select(Payment).where(Payment.membership_id == membership_id).order_by(Payment.id))
    return [{"paid_on": p.paid_on, "amount_cents": p.amount_cents, "currency": p.currency, "source": p.source,
             "reference": p.reference, "period_start": p.period_start, "period_end": p.period_end}
            for p in rows]
