"""Booking a seat without ever overbooking, the waitlist and its promotions, cancelling, and
releasing seats when a member loses access; with the member's upcoming bookings for other features.

Seats. Every use case that changes who holds a seat first takes the event's write lock:
``begin_write()`` (SQLite: BEGIN IMMEDIATE, one writer at a time) and then ``SELECT … FOR
UPDATE`` on the event row (PostgreSQL: one booking transaction per event at a time). Under the
lock the seat count is read, the rule in ``club.events.rules`` decides, and the count is written
back relatively (``seats_taken = seats_taken + n``, guarded by ``seats_taken + n <= capacity`` in
the UPDATE itself), so even a writer that slipped past the lock could not lose another's seats or
overbook: the ``seats_within_capacity`` check constraint is a real last guard. No Python locks:
several processes and hosts share one database. Booking is the hot path: one statement locks the
event and reads the member's booking, one takes the seats, one writes the booking (and one the
mail); what the request already loaded (the member) is neither expired nor read again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from club.core import audit
from club.core.database import commit, is_postgresql, write_transaction
from club.core.templating import format_local
from club.core.mail import send_mail
from club.events import rules
from club.events.ballot_state import ballot_state, booking_waits_for_ballot
from club.events.errors import EventError, EventNotFound
from club.events.links import event_link
from club.events.visibility import may_see
from club.extensions import db
from club.membership import states as membership_states
from club.membership.access import has_member_access
from club.models.base import utcnow
from club.models.membership import Membership
from club.models.user import User
from club.models.events import (ACTIVE_BOOKING_STATES, BOOKING_CANCELLED, BOOKING_CONFIRMED, BOOKING_RELEASED,
                                BOOKING_WAITLISTED, EVENT_CANCELLED, EVENT_PUBLISHED, Booking, Event)


@dataclass
class BookingOutcome:
    booking: Booking | None
    outcome: str  # "confirmed" | "waitlisted" | "already" | "fewer" (nothing booked: see guests_that_fit)
    guests_that_fit: int | None = None  # "fewer": the guests who could come now (0: the member alone)
    seats_left: int = 0


def lock_event(event_id: int) -> Event | None:
    """The event row, locked for this transaction on PostgreSQL (SQLite: begin_write holds the lock)."""
    return db.session.scalars(
        select(Event).where(Event.id == event_id).with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def lock_event_with_booking(event_id: int, user_id: int) -> tuple[Event | None, Booking | None]:
    """The event row locked (as ``lock_event``) and this person's booking of it.

    SQLite: one statement (BEGIN IMMEDIATE already holds the lock, so it reads after every other
    writer). PostgreSQL: two, the booking read after the lock: a statement that waited on
    ``FOR UPDATE`` re-reads the locked row but sees the other tables as they were when it began,
    so a booking committed by the transaction it waited for would be missed."""
    if is_postgresql():
        event = lock_event(event_id)
        if event is None:
            return None, None
        return event, db.session.scalars(select(Booking).where(Booking.event_id == event_id,
                                                               Booking.user_id == user_id)
                                         .execution_options(populate_existing=True)).first()
    row = db.session.execute(
        select(Event, Booking)
        .outerjoin(Booking, and_(Booking.event_id == Event.id, Booking.user_id == user_id))
        .where(Event.id == event_id).with_for_update(of=Event)
        .execution_options(populate_existing=True)
    ).first()
    return (None, None) if row is None else (row[0], row[1])


def change_seats(event: Event, seats: int) -> bool:
    """Add ``seats`` (or give them back, when negative) to the event's count, relatively and guarded
    in SQL: the UPDATE changes nothing (and answers False) if the count would leave 0…capacity.
    The event row is locked by the caller; the loaded event gets the count as written."""
    table = Event.__table__  # a Core UPDATE: no ORM bookkeeping while the event is locked
    taken = db.session.execute(
        update(table).where(table.c.id == event.id, table.c.seats_taken + seats <= table.c.capacity,
                            table.c.seats_taken + seats >= 0)
        .values(seats_taken=table.c.seats_taken + seats).returning(table.c.seats_taken)
    ).scalar()
    if taken is None:
        return False
    set_committed_value(event, "seats_taken", taken)
    return True


def book(user: User, event_id: int, guests: int, *, wait_with_all: bool = False) -> BookingOutcome:
    """Book the member and ``guests`` if the seats are there, else queue the party on the waitlist.

    When some seats are free but fewer than the party, nothing is booked and the outcome "fewer"
    says how many guests fit, so the member chooses: come with fewer, or (``wait_with_all``) queue
    the whole party. Booking twice (a double submit, two tabs) answers with the existing booking.
    """
    user_id = user.id
    access = has_member_access(user)  # read before the lock: the lock is for the seats, held briefly
    with write_transaction(keep_loaded=True):
        event, booking = lock_event_with_booking(event_id, user_id)
        if event is None or not may_see(user, event, has_access=access):
            raise EventNotFound()
        if not access:
            raise EventError(_("Booking is for members. Staff without a membership manage events instead."))
        if event.state != EVENT_PUBLISHED:
            raise EventError(_("This event has been called off.") if event.state == EVENT_CANCELLED
                             else _("This event is not open for booking yet."))
        now = utcnow()
        if event.starts_at <= now:
            raise EventError(_("This event has already begun."))
        if booking_waits_for_ballot(event.id):
            raise EventError(_("This evening is by ballot: enter the ballot instead of booking."))
        if not rules.guests_allowed(guests, event.max_guests):
            raise EventError(ngettext("You may bring up to %(num)d guest.", "You may bring up to %(num)d guests.",
                                      event.max_guests)
                             if event.max_guests else _("This event is for members only, without guests."), "guests")
        if booking is not None and booking.state in ACTIVE_BOOKING_STATES:
            db.session.rollback()
            return BookingOutcome(booking, "already")
        fit = rules.guests_that_fit(event.capacity, event.seats_taken, guests)
        if fit is not None and not wait_with_all:
            seats_left = event.capacity - event.seats_taken
            db.session.rollback()
            return BookingOutcome(None, "fewer", guests_that_fit=fit, seats_left=seats_left)
        if booking is None:
            booking = Booking(event_id=event.id, user_id=user_id)
            db.session.add(booking)
        booking.guests = guests
        booking.queued_at = now
        booking.cancelled_at = booking.attendance = booking.checked_in_at = None
        booking.reminder_sent_at = booking.feedback_requested_at = None
        place = rules.placement(event.capacity, event.seats_taken, 1 + guests)
        booking.state = BOOKING_CONFIRMED if place == rules.CONFIRMED else BOOKING_WAITLISTED
        booking.confirmed_at = now if place == rules.CONFIRMED else None
        db.session.flush()  # the booking has its id before the mail names it
        if place == rules.CONFIRMED and not change_seats(event, 1 + guests):
            place = rules.WAITLISTED  # the database refused the seats: it never overbooks, whatever Python thought
            booking.state, booking.confirmed_at = BOOKING_WAITLISTED, None
        if place == rules.CONFIRMED:
            send_mail(user.email, _l("Booked: %(title)s", title=event.title), "event_booked",
                      language=user.language, user=user, event=event, booking=booking, link=event_link(event))
        commit(keep_loaded=True)
        return BookingOutcome(booking, place)


def cancel_booking(user: User, event_id: int) -> Booking:
    """The member gives up their seat (until the cut-off) or their place on the waitlist."""
    with write_transaction():
        event, booking = lock_event_with_booking(event_id, user.id)
        if event is None or not may_see(user, event):
            raise EventNotFound()
        if booking is None or booking.state not in ACTIVE_BOOKING_STATES:
            raise EventError(_("You have no booking for this event."))
        now = utcnow()
        if not rules.may_cancel(state=booking.state, starts_at=event.starts_at,
                                cutoff_hours=event.cancel_cutoff_hours, now=now):
            closes = rules.cancellation_closes_at(event.starts_at, event.cancel_cutoff_hours)
            # Shown on the page of the person cancelling: the date in the language they read.
            raise EventError(ngettext(
                "Cancellation closed %(num)d hour before the start (%(closes)s). "
                "Your seat is kept for you; if you cannot come, please tell your host.",
                "Cancellation closed %(num)d hours before the start (%(closes)s). "
                "Your seat is kept for you; if you cannot come, please tell your host.",
                event.cancel_cutoff_hours, closes=format_local(closes, "datetime")))
        _release(event, booking, BOOKING_CANCELLED, now)
        promote_waitlist(event, now)
        db.session.commit()
        return booking


def _release(event: Event, booking: Booking, new_state: str, now: datetime) -> None:
    if booking.state == BOOKING_CONFIRMED and not change_seats(event, -booking.party_size):
        raise RuntimeError(f"event {event.id}: seat count below the confirmed bookings")  # the guard held
    booking.state = new_state
    booking.cancelled_at = now


def promote_waitlist(event: Event, now: datetime) -> list[Booking]:
    """Hand freed seats to the first waiting parties that fit, and tell them. Event row locked.
    A ballot evening offers them for a time instead (``club.events.offers``)."""
    if ballot_state(event.id) is not None:
        from club.events.offers import offer_free_seats

        offer_free_seats(event, now)
        return []
    if event.state != EVENT_PUBLISHED or event.starts_at <= now:
        return []
    waiting = list(db.session.scalars(
        select(Booking).where(Booking.event_id == event.id, Booking.state == BOOKING_WAITLISTED)
        .options(selectinload(Booking.user)).order_by(Booking.queued_at, Booking.id)))
    chosen = set(rules.parties_to_promote(event.capacity - event.seats_taken,
                                          [(b.id, b.party_size) for b in waiting]))
    promoted = [b for b in waiting if b.id in chosen]
    if promoted and not change_seats(event, sum(b.party_size for b in promoted)):
        return []  # the database refused the seats (never under the lock): nobody is promoted
    for booking in promoted:
        booking.state = BOOKING_CONFIRMED
        booking.confirmed_at = now
        send_mail(booking.user.email, _l("A seat is yours: %(title)s", title=event.title), "event_promoted",
                  language=booking.user.language, user=booking.user, event=event, booking=booking,
                  link=event_link(event))
    return promoted


def release_future_bookings(user_id: int, *, reason: str, only_event_ids: list[int] | None = None) -> int:
    """Release a person's bookings of events still to come and pass the seats on. No commit:
    runs inside the caller's transaction (a membership change, an uninvitation)."""
    now = utcnow()
    query = (select(Booking.event_id).join(Event, Event.id == Booking.event_id)
             .where(Booking.user_id == user_id, Booking.state.in_(ACTIVE_BOOKING_STATES), Event.starts_at > now))
    if only_event_ids is not None:
        query = query.where(Booking.event_id.in_(only_event_ids))
    released = 0
    # One event at a time, in id order, so two such releases never wait on each other in a circle.
    for event_id in sorted(set(db.session.scalars(query))):
        event = lock_event(event_id)
        booking = db.session.scalars(select(Booking).where(Booking.event_id == event_id, Booking.user_id == user_id)
                                     .execution_options(populate_existing=True)).first()
        if booking is None or booking.state not in ACTIVE_BOOKING_STATES:
            continue
        _release(event, booking, BOOKING_RELEASED, now)
        promote_waitlist(event, now)
        audit.record("event.booking_released", subject=booking, event_id=event_id, user_id=user_id, reason=reason)
        released += 1
    return released


def release_on_lost_access(_sender, *, membership: Membership, old_state: str, new_state: str, **_kw) -> None:
    """Receiver of ``membership_changed``: a member who loses access gives up future seats."""
    if membership_states.loses_access(old_state, new_state):
        release_future_bookings(membership.user_id, reason=f"membership {new_state}")


# A member's bookings, for other features ------------------------------------------------------

def upcoming_bookings_for(user: User, limit: int | None = None) -> list[Booking]:
    """The member's confirmed and waitlisted bookings of events still to come, soonest first,
    with the event loaded."""
    query = (select(Booking).join(Event, Event.id == Booking.event_id)
             .where(Booking.user_id == user.id, Booking.state.in_(ACTIVE_BOOKING_STATES),
                    Event.state == EVENT_PUBLISHED, Event.starts_at > utcnow())
             .options(contains_eager(Booking.event)).order_by(Event.starts_at, Event.id))
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def upcoming_booking_counts(user_ids: list[int]) -> dict[int, int]:
    """How many events still to come each person is booked on or waiting for (one query)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Booking.user_id, func.count()).join(Event, Event.id == Booking.event_id)
        .where(Booking.user_id.in_(user_ids), Booking.state.in_(ACTIVE_BOOKING_STATES),
               Event.state == EVENT_PUBLISHED, Event.starts_at > utcnow())
        .group_by(Booking.user_id))
    counts = {uid: 0 for uid in user_ids}
    counts.update({uid: n for uid, n in rows})
    return counts
