"""Money received for memberships, and the Stripe events already acted upon."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from club.extensions import db
from club.models.base import UTCDateTime, utcnow
from club.models.membership import Membership
from club.models.user import User


class Plan(db.Model):
    """A membership plan the owner offers (Individual, Couple, Under 30 …), in the club's currency.

    Amounts are in the currency's smallest unit. Stripe mirrors each plan as a product with a
    monthly, an annual and (when there is a fee) a one-time initiation price; the ids of the
    prices that match the amounts here are kept below by the Stripe sync. A retired plan is
    offered to nobody new; its members keep it.
    """

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(240), default="")
    monthly_cents: Mapped[int] = mapped_column()
    annual_cents: Mapped[int] = mapped_column()
    initiation_cents: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    stripe_monthly_price_id: Mapped[str | None] = mapped_column(String(64))
    stripe_annual_price_id: Mapped[str | None] = mapped_column(String(64))
    stripe_initiation_price_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Payment(db.Model):
    """One money event for a membership: a paid Stripe invoice or a payment the club took offline.

    Rows are kept when a member leaves so the club's books stay whole; they hold no card data.
    """

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))  # "stripe" | "offline"
    amount_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3))
    paid_on: Mapped[date] = mapped_column(Date)
    # Offline: the bank transfer or receipt reference. Stripe: the invoice number.
    reference: Mapped[str] = mapped_column(String(120), default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # A paid invoice is recorded once, however often Stripe tells us about it.
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    membership: Mapped[Membership] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class StripeEvent(db.Model):
    """A Stripe webhook event that has been handled; written in the same transaction as its effect."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)  # Stripe's event id, evt_…
    type: Mapped[str] = mapped_column(String(100))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BillingReminder(db.Model):
    """A dunning or renewal mail claimed for one membership: written before the mail is sent, so
    each mail goes out once however often, or however concurrently, the nightly run happens.

    ``occasion`` names what it is about: the grace period's end date for the past-due mails, the
    renewal date for the renewal notice.
    """

    __tablename__ = "billing_reminders"
    __table_args__ = (UniqueConstraint("membership_id", "kind", "occasion", name="uq_billing_reminders_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # payment_failed | grace_halfway | grace_last_day | renewal
    occasion: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
