"""Private events: the event, its tags and invited members, bookings (and the waitlist), feedback,
and each member's calendar-feed key."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from club.extensions import db
from club.models.club import InterestTag
from club.models.base import UTCDateTime, utcnow
from club.models.user import User

EVENT_DRAFT = "draft"
EVENT_PUBLISHED = "published"
EVENT_CANCELLED = "cancelled"

VISIBLE_TO_MEMBERS = "members"
INVITE_ONLY = "invite_only"

BOOKING_CONFIRMED = "confirmed"
BOOKING_WAITLISTED = "waitlisted"
BOOKING_CANCELLED = "cancelled"  # by the member
BOOKING_RELEASED = "released"  # by the club: access lost, or no longer invited
ACTIVE_BOOKING_STATES = (BOOKING_CONFIRMED, BOOKING_WAITLISTED)

ATTENDED = "attended"
NO_SHOW = "no_show"


class Event(db.Model):
    """An evening (or afternoon) the club puts on.

    ``seats_taken`` counts the seats of confirmed bookings (members and their guests). It is
    changed only while the event row is locked (see ``club.events.booking``), and the check
    constraint makes the database itself refuse an overbooking.
    """

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default=EVENT_DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_name: Mapped[str] = mapped_column(String(160))
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int] = mapped_column()
    seats_taken: Mapped[int] = mapped_column(default=0)
    max_guests: Mapped[int] = mapped_column(default=0)
    cancel_cutoff_hours: Mapped[int] = mapped_column(default=24)
    visibility: Mapped[str] = mapped_column(String(20), default=VISIBLE_TO_MEMBERS)
    host_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # RFC 5545 SEQUENCE: bumped on every change a calendar should pick up.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    host: Mapped[User | None] = relationship(foreign_keys=[host_id])
    tags: Mapped[list[InterestTag]] = relationship(secondary="event_tags", order_by="InterestTag.name")
    invitations: Mapped[list[EventInvitation]] = relationship(back_populates="event", cascade="all, delete-orphan")

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_invite_only(self) -> bool:
        return self.visibility == INVITE_ONLY


class EventTag(db.Model):
    """Which interests an event speaks to (for the list filter and recommendations)."""

    __tablename__ = "event_tags"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("interest_tags.id", ondelete="CASCADE"), primary_key=True,
                                        index=True)


class EventInvitation(db.Model):
    """A member named on an invite-only event's guest list."""

    __tablename__ = "event_invitations"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship(back_populates="invitations")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Booking(db.Model):
    """A member's place at an event, for themselves and ``guests`` more (a party).

    One row per member and event: cancelling and booking again reuses it, with a new
    ``queued_at``, which is what orders the waitlist (first come, first served).
    """

    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("guests >= 0", name="guests_not_negative"),
        Index("ix_bookings_event_state_queue", "event_id", "state", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    guests: Mapped[int] = mapped_column(default=0)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[str | None] = mapped_column(String(20))  # attended | no_show, set at the door
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Claimed with a conditional UPDATE before the mail goes out, so a mail is never sent twice.
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def party_size(self) -> int:
        return 1 + self.guests


class EventFeedback(db.Model):
    """An attendee's rating (1–5) and comment after the event. One per attendee."""

    __tablename__ = "event_feedback"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rating: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class CalendarFeedKey(db.Model):
    """The version signed into a member's calendar-feed URL; bumping it revokes every older URL."""

    __tablename__ = "calendar_feed_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


PROPOSAL_PROPOSED = "proposed"
PROPOSAL_APPROVED = "approved"
PROPOSAL_DECLINED = "declined"
PROPOSAL_WITHDRAWN = "withdrawn"
PROPOSAL_STATES = (PROPOSAL_PROPOSED, PROPOSAL_APPROVED, PROPOSAL_DECLINED, PROPOSAL_WITHDRAWN)


class EventProposal(db.Model):
    """An evening a member offers to host (``club.events.proposals``): proposed, then approved
    (published as an event with the member as host), declined with a reason, or withdrawn.

    The texts are the member's words (and the decline reason the staff's words about them): they
    go when the member is erased. The state moves only by a conditional UPDATE from ``proposed``,
    so two curators deciding at once make one decision.
    """

    __tablename__ = "event_proposals"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        Index("ix_event_proposals_state_created", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=PROPOSAL_PROPOSED)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_name: Mapped[str] = mapped_column(String(160))
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int] = mapped_column()
    max_guests: Mapped[int] = mapped_column(default=0)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), unique=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[User | None] = relationship(foreign_keys=[member_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    event: Mapped[Event | None] = relationship()


BALLOT_OPEN = "open"
BALLOT_DRAWN = "drawn"

ENTRY_ENTERED = "entered"
ENTRY_WITHDRAWN = "withdrawn"
ENTRY_SEATED = "seated"
ENTRY_WAITLISTED = "waitlisted"
ENTRY_VOID = "void"  # the entrant had lost access (or the seat) by the close

OFFER_OPEN = "open"
OFFER_ACCEPTED = "accepted"
OFFER_DECLINED = "declined"
OFFER_EXPIRED = "expired"
OFFER_VOID = "void"  # the party left the waitlist while the offer was open


class Ballot(db.Model):
    """An evening opened "by ballot": members enter until ``closes_at``, then one draw seats them.

    ``state`` moves from open to drawn once, with a conditional UPDATE under the event's lock, so
    overlapping runs of the job draw once. ``seed`` and ``seats`` are what the draw used: with the
    entries' recorded weights they recompute it (``club.events.ballots.recheck``).
    """

    __tablename__ = "ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=BALLOT_OPEN, index=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seed: Mapped[str | None] = mapped_column(String(64))
    seats: Mapped[int | None] = mapped_column()
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()


class BallotEntry(db.Model):
    """A member's entry, for themselves and ``guests`` more (one party). One row per member and
    ballot: withdrawing and entering again reuses it. ``weight`` and ``position`` (in the drawn
    order, from 1) are written by the draw."""

    __tablename__ = "ballot_entries"
    __table_args__ = (
        UniqueConstraint("ballot_id", "user_id"),
        CheckConstraint("guests >= 0", name="guests_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=ENTRY_ENTERED)
    guests: Mapped[int] = mapped_column(default=0)
    weight: Mapped[float | None] = mapped_column(Float)
    position: Mapped[int | None] = mapped_column()
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def party_size(self) -> int:
        return 1 + self.guests


class WaitlistOffer(db.Model):
    """Seats offered to a waiting party on a ballot evening, held for them until ``expires_at``.

    The held seats count in the event's ``seats_taken`` while the offer is open, so nobody else can
    book them and the capacity check constraint still guards the room. One open offer per booking
    (a partial unique index); answering is a conditional UPDATE on ``state = 'open'``, so an offer
    is accepted, declined or expired exactly once.
    """

    __tablename__ = "waitlist_offers"
    __table_args__ = (
        Index("uq_waitlist_offers_open", "booking_id", unique=True,
              sqlite_where=db.text("state = 'open'"), postgresql_where=db.text("state = 'open'")),
        Index("ix_waitlist_offers_state_expires", "state", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    seats: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), default=OFFER_OPEN)
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    booking: Mapped[Booking] = relationship()
