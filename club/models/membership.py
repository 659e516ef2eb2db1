"""Membership and the member's profile: the kernel's tables (see ``club.membership``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from club.extensions import db
from club.models.base import UTCDateTime, utcnow
from club.models.user import User


class Membership(db.Model):
    """A person's membership. Its ``state`` follows billing; see ``club.membership.states``."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    # How the membership is paid: "stripe", "offline" or "complimentary" (None until known).
    kind: Mapped[str | None] = mapped_column(String(20))
    plan: Mapped[str | None] = mapped_column(String(10))  # how often it is paid: "monthly" | "annual"
    # Which of the club's plans (club.models.billing.Plan) it is on, and the Stripe Price it pays.
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), index=True)
    stripe_price_id: Mapped[str | None] = mapped_column(String(64))
    curator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first time active
    # When it last ended (None while it runs, or again after the member came back): the
    # former member's personal data is erased a set time after it (club.membership.former).
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grace_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # State held before a suspension, so reinstating returns to it.
    suspended_from: Mapped[str | None] = mapped_column(String(20))
    initiation_paid: Mapped[bool] = mapped_column(default=False)
    # What the member said when leaving (optional). Kept here, not in the append-only audit log,
    # so that deleting the account can erase it.
    leave_reason: Mapped[str | None] = mapped_column(Text)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], backref=db.backref("membership", uselist=False))
    curator: Mapped[User | None] = relationship(foreign_keys=[curator_id])


class MemberProfile(db.Model):
    """What a member tells the club about themselves, and what of it others may see."""

    __tablename__ = "member_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    city: Mapped[str | None] = mapped_column(String(120))
    occupation: Mapped[str | None] = mapped_column(String(160))
    company: Mapped[str | None] = mapped_column(String(160))
    bio: Mapped[str | None] = mapped_column(Text)
    interests: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    links: Mapped[list] = mapped_column(JSON, default=list)
    photo_filename: Mapped[str | None] = mapped_column(String(80))
    # Directory: hidden entirely, or listed with the fields chosen here. Private by default.
    directory_listed: Mapped[bool] = mapped_column(default=False)
    directory_fields: Mapped[list] = mapped_column(JSON, default=list)
    # When the member last chose their directory settings (private is a choice too; onboarding).
    directory_chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What other members may search, kept in step by ``club.members.directory_index`` on every
    # flush: casefolded, and NULL for whatever the member does not show (so SQL can never match
    # a hidden field). The directory filters and paginates on these, not on the JSON above.
    search_name: Mapped[str | None] = mapped_column(String(200))
    search_city: Mapped[str | None] = mapped_column(String(120))
    search_interests: Mapped[str | None] = mapped_column(Text)  # "\x1fart\x1fwine\x1f"
    # The monthly programme mail (club.announcements.programme): on unless the member opts out.
    programme_mail: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(backref=db.backref("profile", uselist=False))


class MembershipReason(db.Model):
    """Why an admin changed a membership (suspended, reinstated, made complimentary), in their words.

    The audit log records the change with this row's id, never the words: the log cannot be
    erased, this row's ``reason`` is erased with the member (``club.membership.erasure``).
    """

    __tablename__ = "membership_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    change: Mapped[str] = mapped_column(String(20))  # see club.membership.reasons
    reason: Mapped[str | None] = mapped_column(Text)  # None once erased
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    membership: Mapped[Membership] = relationship(
        backref=db.backref("reasons", order_by="MembershipReason.id", passive_deletes=True))
    written_by: Mapped[User | None] = relationship(foreign_keys=[written_by_id])


class Ambassadorship(db.Model):
    """A member named an ambassador by an admin (``club.membership.ambassadors``), until ended.

    One open row per person (a partial unique index), so naming twice, even at the same instant,
    makes one ambassadorship. Ended rows stay: they are the history the leaders page reads.
    """

    __tablename__ = "ambassadorships"
    __table_args__ = (
        db.Index("uq_ambassadorships_open", "user_id", unique=True,
                 sqlite_where=db.text("ended_at IS NULL"), postgresql_where=db.text("ended_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    named_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
