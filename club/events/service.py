"""Event use cases: listing and showing events to those who may see them, booking without ever
overbooking, the waitlist, calendar feeds, the door list, reminders and feedback.

Seats. Every use case that changes who holds a seat first takes the event's write lock:
``begin_write()`` (SQLite: BEGIN IMMEDIATE, one writer at a time) and then ``SELECT … FOR
UPDATE`` on the event row (PostgreSQL: one booking transaction per event at a time). Under the
lock the seat count is read, the rule in ``club.events.rules`` decides, and the count is written
back in the same transaction; the ``seats_within_capacity`` check constraint is the last guard.
No Python locks: several processes and hosts share one database.
"""
from __future__ import annotations

import calendar as pycalendar
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import contains_eager, selectinload
from werkzeug.exceptions import NotFound

from club.core import audit, settings
from club.core.database import begin_write, write_transaction
from club.core.mail import send_mail
from club.core.tokens import Signer, TokenExpired, TokenInvalid
from club.events import rules
from club.events import calendar as ical
from club.extensions import db
from club.membership import states as membership_states
from club.membership.access import has_member_access
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.membership import MemberProfile, Membership
from club.models.user import User
from club.models.events import (ACTIVE_BOOKING_STATES, ATTENDED, BOOKING_CANCELLED, BOOKING_CONFIRMED,
                                BOOKING_RELEASED, BOOKING_WAITLISTED, EVENT_CANCELLED, EVENT_DRAFT,
                                EVENT_PUBLISHED, INVITE_ONLY, NO_SHOW, VISIBLE_TO_MEMBERS, Booking,
                                CalendarFeedKey, Event, EventFeedback, EventInvitation, EventTag)

_feed_signer = Signer(salt="events-calendar-feed")
FEEDBACK_WINDOW = timedelta(days=14)  # how long after an event its feedback request still goes out
REMINDER_LEAD = timedelta(hours=24)


class EventNotFound(NotFound):
    """No such event, or not one this person may see: both answer 404 so nothing leaks.

    A werkzeug NotFound, so a view that lets it pass answers with the club's 404 page."""


class EventError(Exception):
    """A use case refused; the message is safe to show. ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# Who may see what -------------------------------------------------------------------------------

def _viewer(user: User | None, event: Event) -> rules.Viewer:
    if user is None or not user.is_authenticated:
        return rules.Viewer()
    if user.is_staff:
        return rules.Viewer(is_staff=True)
    invited = event.is_invite_only and db.session.get(EventInvitation, (event.id, user.id)) is not None
    return rules.Viewer(has_access=has_member_access(user), invited=invited)


def _may_see(user: User | None, event: Event) -> bool:
    return rules.may_see(_viewer(user, event), state=event.state, invite_only=event.is_invite_only)


def _visible_to(user: User):
    """SQL condition: events this person may see (the same rule as ``rules.may_see``)."""
    if user.is_staff:
        return True
    if not has_member_access(user):
        return False
    invited = exists().where(EventInvitation.event_id == Event.id, EventInvitation.user_id == user.id)
    return and_(Event.state != EVENT_DRAFT, or_(Event.visibility == VISIBLE_TO_MEMBERS, invited))


def event_for(user: User | None, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not _may_see(user, event):
        raise EventNotFound()
    return event


def _staff_event(user: User | None, event_id: int) -> Event:
    """Management pages: staff only; to everyone else the page does not exist."""
    if user is None or not user.is_authenticated or not user.is_staff:
        raise EventNotFound()
    return event_for(user, event_id)


# Listing ----------------------------------------------------------------------------------------

@dataclass
class EventsPage:
    events: list[Event]
    my_bookings: dict[int, Booking]
    tags: list[InterestTag]
    selected_tag: str | None
    feed_url: str | None


def _my_bookings(user: User, event_ids: list[int]) -> dict[int, Booking]:
    if not event_ids:
        return {}
    rows = db.session.scalars(select(Booking).where(Booking.user_id == user.id, Booking.event_id.in_(event_ids),
                                                    Booking.state.in_(ACTIVE_BOOKING_STATES)))
    return {b.event_id: b for b in rows}


def _event_listing(user: User, *conditions) -> list[Event]:
    query = (select(Event).where(_visible_to(user), *conditions)
             .options(selectinload(Event.tags), selectinload(Event.host))
             .order_by(Event.starts_at, Event.id))
    return list(db.session.scalars(query))


def events_page(user: User, tag: str | None = None) -> EventsPage:
    """Events not yet over that the person may see (staff also see drafts and called-off ones), optionally
    those with one interest tag; with the person's own bookings. A fixed number of queries."""
    now = utcnow()
    # An evening under way stays listed until it ends: the host needs it for the door list.
    conditions = [Event.ends_at > now]
    if not user.is_staff:
        conditions.append(Event.state == EVENT_PUBLISHED)
    if tag:
        conditions.append(Event.id.in_(select(EventTag.event_id).join(InterestTag, InterestTag.id == EventTag.tag_id)
                                       .where(InterestTag.name == tag)))
    events = _event_listing(user, *conditions)
    tags = list(db.session.scalars(select(InterestTag).order_by(InterestTag.name)))
    return EventsPage(events=events, my_bookings=_my_bookings(user, [e.id for e in events]), tags=tags,
                      selected_tag=tag, feed_url=feed_url_for(user) if has_member_access(user) else None)


@dataclass
class MonthPage:
    year: int
    month: int
    weeks: list[list[tuple[date, list[Event]]]]  # Monday-first weeks of the month grid
    my_bookings: dict[int, Booking]
    previous: tuple[int, int]
    next: tuple[int, int]
    today: date

    @property
    def title(self) -> str:
        return date(self.year, self.month, 1).strftime("%B %Y")


def month_page(user: User, year: int | None = None, month: int | None = None) -> MonthPage:
    """The month's calendar with the events the person may see, in the club's time zone."""
    zone = ZoneInfo(settings.get("timezone"))
    today = utcnow().astimezone(zone).date()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 1900 < year < 3000):
        year, month = today.year, today.month
    grid = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start = datetime.combine(grid[0][0], datetime.min.time(), zone).astimezone(timezone.utc)
    end = datetime.combine(grid[-1][-1] + timedelta(days=1), datetime.min.time(), zone).astimezone(timezone.utc)
    conditions = [Event.starts_at >= start, Event.starts_at < end]
    if not user.is_staff:
        conditions.append(Event.state == EVENT_PUBLISHED)
    events = _event_listing(user, *conditions)
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(event.starts_at.astimezone(zone).date(), []).append(event)
    weeks = [[(day, by_day.get(day, [])) for day in week] for week in grid]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return MonthPage(year=year, month=month, weeks=weeks, my_bookings=_my_bookings(user, [e.id for e in events]),
                     previous=previous, next=following, today=today)


# One event --------------------------------------------------------------------------------------

@dataclass
class EventPage:
    event: Event
    booking: Booking | None
    waitlist_position: int | None
    can_book: bool
    can_cancel: bool
    cancellation_closes_at: datetime
    started: bool
    may_give_feedback: bool
    feedback_given: bool
    is_staff: bool


def event_page(user: User | None, event_id: int) -> EventPage:
    event = event_for(user, event_id)
    now = utcnow()
    booking = db.session.scalars(select(Booking).where(Booking.event_id == event.id,
                                                       Booking.user_id == user.id)).first()
    position = _waitlist_position(booking) if booking is not None and booking.state == BOOKING_WAITLISTED else None
    started = event.starts_at <= now
    active = booking is not None and booking.state in ACTIVE_BOOKING_STATES
    feedback_given, may_feedback = _feedback_status(user, event, booking, now)
    return EventPage(
        event=event, booking=booking,
        waitlist_position=position,
        can_book=(event.state == EVENT_PUBLISHED and not started and not active and has_member_access(user)),
        can_cancel=active and event.state == EVENT_PUBLISHED and rules.may_cancel(
            state=booking.state, starts_at=event.starts_at, cutoff_hours=event.cancel_cutoff_hours, now=now),
        cancellation_closes_at=rules.cancellation_closes_at(event.starts_at, event.cancel_cutoff_hours),
        started=started, may_give_feedback=may_feedback, feedback_given=feedback_given, is_staff=user.is_staff,
    )


def _waitlist_position(booking: Booking) -> int:
    ahead = db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.event_id == booking.event_id, Booking.state == BOOKING_WAITLISTED,
        or_(Booking.queued_at < booking.queued_at, and_(Booking.queued_at == booking.queued_at, Booking.id < booking.id))))
    return ahead + 1


# Booking and cancelling -------------------------------------------------------------------------

@dataclass
class BookingOutcome:
    booking: Booking
    outcome: str  # "confirmed" | "waitlisted" | "already"


def _lock_event(event_id: int) -> Event | None:
    """The event row, locked for this transaction on PostgreSQL (SQLite: begin_write holds the lock)."""
    return db.session.scalars(
        select(Event).where(Event.id == event_id).with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def book(user: User, event_id: int, guests: int) -> BookingOutcome:
    """Book the member and ``guests`` if the seats are there, else queue the party on the waitlist.

    Booking twice (a double submit, two tabs) answers with the existing booking.
    """
    user_id = user.id
    with write_transaction():
        event = _lock_event(event_id)
        if event is None or not _may_see(user, event):
            raise EventNotFound()
        if not has_member_access(user):
            raise EventError("Booking is for members. Staff without a membership manage events instead.")
        if event.state != EVENT_PUBLISHED:
            raise EventError("This event has been called off." if event.state == EVENT_CANCELLED
                             else "This event is not open for booking yet.")
        now = utcnow()
        if event.starts_at <= now:
            raise EventError("This event has already begun.")
        if not rules.guests_allowed(guests, event.max_guests):
            raise EventError(f"You may bring up to {event.max_guests} guest{'s' if event.max_guests != 1 else ''}."
                             if event.max_guests else "This event is for members only, without guests.", "guests")
        booking = db.session.scalars(select(Booking).where(Booking.event_id == event.id,
                                                           Booking.user_id == user_id)).first()
        if booking is not None and booking.state in ACTIVE_BOOKING_STATES:
            db.session.rollback()
            return BookingOutcome(booking, "already")
        if booking is None:
            booking = Booking(event_id=event.id, user_id=user_id)
            db.session.add(booking)
        booking.guests = guests
        booking.queued_at = now
        booking.cancelled_at = booking.attendance = booking.checked_in_at = None
        booking.reminder_sent_at = booking.feedback_requested_at = None
        place = rules.placement(event.capacity, event.seats_taken, 1 + guests)
        if place == rules.CONFIRMED:
            booking.state = BOOKING_CONFIRMED
            booking.confirmed_at = now
            event.seats_taken += 1 + guests
            send_mail(user.email, f"Booked: {event.title}", "event_booked", user=user, event=event,
                      booking=booking, link=_event_link(event))
        else:
            booking.state = BOOKING_WAITLISTED
            booking.confirmed_at = None
        db.session.commit()
        return BookingOutcome(booking, place)


def cancel_booking(user: User, event_id: int) -> Booking:
    """The member gives up their seat (until the cut-off) or their place on the waitlist."""
    with write_transaction():
        event = _lock_event(event_id)
        if event is None or not _may_see(user, event):
            raise EventNotFound()
        booking = db.session.scalars(select(Booking).where(Booking.event_id == event.id,
                                                           Booking.user_id == user.id)).first()
        if booking is None or booking.state not in ACTIVE_BOOKING_STATES:
            raise EventError("You have no booking for this event.")
        now = utcnow()
        if not rules.may_cancel(state=booking.state, starts_at=event.starts_at,
                                cutoff_hours=event.cancel_cutoff_hours, now=now):
            closes = rules.cancellation_closes_at(event.starts_at, event.cancel_cutoff_hours)
            raise EventError(
                f"Cancellation closed {event.cancel_cutoff_hours} hours before the start "
                f"({_local(closes)}). Your seat is kept for you; if you cannot come, please tell your host.")
        _release(event, booking, BOOKING_CANCELLED, now)
        _promote_waitlist(event, now)
        db.session.commit()
        return booking


def _release(event: Event, booking: Booking, new_state: str, now: datetime) -> None:
    if booking.state == BOOKING_CONFIRMED:
        event.seats_taken -= booking.party_size
    booking.state = new_state
    booking.cancelled_at = now


def _promote_waitlist(event: Event, now: datetime) -> list[Booking]:
    """Hand freed seats to the first waiting parties that fit, and tell them. Event row locked."""
    if event.state != EVENT_PUBLISHED or event.starts_at <= now:
        return []
    waiting = list(db.session.scalars(
        select(Booking).where(Booking.event_id == event.id, Booking.state == BOOKING_WAITLISTED)
        .options(selectinload(Booking.user)).order_by(Booking.queued_at, Booking.id)))
    chosen = set(rules.parties_to_promote(event.capacity - event.seats_taken,
                                          [(b.id, b.party_size) for b in waiting]))
    promoted = [b for b in waiting if b.id in chosen]
    for booking in promoted:
        booking.state = BOOKING_CONFIRMED
        booking.confirmed_at = now
        event.seats_taken += booking.party_size
        send_mail(booking.user.email, f"A seat is yours: {event.title}", "event_promoted", user=booking.user,
                  event=event, booking=booking, link=_event_link(event))
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
        event = _lock_event(event_id)
        booking = db.session.scalars(select(Booking).where(Booking.event_id == event_id, Booking.user_id == user_id)
                                     .execution_options(populate_existing=True)).first()
        if booking is None or booking.state not in ACTIVE_BOOKING_STATES:
            continue
        _release(event, booking, BOOKING_RELEASED, now)
        _promote_waitlist(event, now)
        audit.record("event.booking_released", subject=booking, event_id=event_id, user_id=user_id, reason=reason)
        released += 1
    return released


def release_on_lost_access(_sender, *, membership: Membership, old_state: str, new_state: str, **_kw) -> None:
    """Receiver of ``membership_changed``: a member who loses access gives up future seats."""
    if membership_states.loses_access(old_state, new_state):
        release_future_bookings(membership.user_id, reason=f"membership {new_state}")


# Managing events (staff) ------------------------------------------------------------------------

@dataclass
class EventDraft:
    """What the event form collects, in UTC."""

    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    venue_name: str
    venue_address: str
    capacity: int
    max_guests: int
    cancel_cutoff_hours: int
    visibility: str
    invited_ids: list[int]
    tag_ids: list[int]
    host_id: int | None


def form_choices() -> dict[str, list[tuple[int, str]]]:
    """Hosts (staff), members who can be invited, and interest tags, for the event form."""
    staff = db.session.scalars(select(User).where(User.deleted_at.is_(None)).order_by(User.full_name))
    members = db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.state.in_(membership_states.ACCESS_STATES), User.deleted_at.is_(None))
        .order_by(User.full_name))
    tags = db.session.scalars(select(InterestTag).order_by(InterestTag.name))
    return {
        "hosts": [(u.id, u.full_name) for u in staff if u.is_staff],
        "members": [(u.id, u.full_name) for u in members],
        "tags": [(t.id, t.name) for t in tags],
    }


def event_form_data(user: User, event_id: int) -> tuple[Event, dict]:
    """An event and its current values in the form's terms (local times), for editing."""
    event = _staff_event(user, event_id)
    zone = ZoneInfo(settings.get("timezone"))
    return event, {
        "title": event.title, "description": event.description,
        "starts_at": event.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": event.ends_at.astimezone(zone).replace(tzinfo=None),
        "venue_name": event.venue_name, "venue_address": event.venue_address, "capacity": event.capacity,
        "max_guests": event.max_guests, "cancel_cutoff_hours": event.cancel_cutoff_hours,
        "visibility": event.visibility, "host_id": event.host_id,
        "invited_ids": [i.user_id for i in event.invitations], "tag_ids": [t.id for t in event.tags],
    }


def local_to_utc(value: datetime) -> datetime:
    """A wall-clock time typed in the club's time zone, as aware UTC."""
    return value.replace(tzinfo=ZoneInfo(settings.get("timezone"))).astimezone(timezone.utc)


def _check_draft(draft: EventDraft) -> None:
    if draft.ends_at <= draft.starts_at:
        raise EventError("The end must be after the start.", "ends_at")
    if draft.visibility not in (VISIBLE_TO_MEMBERS, INVITE_ONLY):
        raise EventError("Choose who may see the event.", "visibility")
    if draft.visibility == INVITE_ONLY and not draft.invited_ids:
        raise EventError("Name at least one member for an invite-only event.", "invited_ids")
    if draft.host_id is not None:
        host = db.session.get(User, draft.host_id)
        if host is None or not host.is_staff:
            raise EventError("The host must be a curator or admin.", "host_id")


def _apply(event: Event, draft: EventDraft, actor: User) -> None:
    event.title = draft.title.strip()
    event.description = draft.description.strip()
    event.starts_at, event.ends_at = draft.starts_at, draft.ends_at
    event.venue_name, event.venue_address = draft.venue_name.strip(), draft.venue_address.strip()
    event.capacity, event.max_guests = draft.capacity, draft.max_guests
    event.cancel_cutoff_hours = draft.cancel_cutoff_hours
    event.visibility = draft.visibility
    event.host_id = draft.host_id
    event.tags = list(db.session.scalars(select(InterestTag).where(InterestTag.id.in_(draft.tag_ids)))) if draft.tag_ids else []
    wanted = set(draft.invited_ids) if draft.visibility == INVITE_ONLY else set()
    current = {i.user_id: i for i in event.invitations}
    for user_id, invitation in current.items():
        if user_id not in wanted:
            event.invitations.remove(invitation)
    for user_id in wanted - current.keys():
        event.invitations.append(EventInvitation(user_id=user_id, invited_by_id=actor.id))


def create_event(actor: User, draft: EventDraft) -> Event:
    """A new event, as a draft: members see it once it is published."""
    if not actor.is_staff:
        raise EventNotFound()
    _check_draft(draft)
    if draft.starts_at <= utcnow():
        raise EventError("The start must be in the future.", "starts_at")
    # A double submit (or a second click while the first is on its way) must not make two events:
    # the same person creating the same title at the same start within minutes is the same event.
    begin_write()
    db.session.scalars(select(User.id).where(User.id == actor.id).with_for_update()).first()
    twin = db.session.scalars(select(Event).where(
        Event.created_by_id == actor.id, Event.title == draft.title.strip(), Event.starts_at == draft.starts_at,
        Event.created_at > utcnow() - timedelta(minutes=10))).first()
    if twin is not None:
        db.session.rollback()
        return twin
    event = Event(state=EVENT_DRAFT, created_by_id=actor.id, seats_taken=0, title="", venue_name="",
                  capacity=draft.capacity, starts_at=draft.starts_at, ends_at=draft.ends_at)
    db.session.add(event)
    _apply(event, draft, actor)
    db.session.flush()
    audit.record("event.created", actor=actor, subject=event)
    db.session.commit()
    return event


def update_event(actor: User, event_id: int, draft: EventDraft) -> Event:
    """Change an event. Capacity cannot go below the seats already confirmed; more capacity goes
    to the waitlist at once; members no longer invited lose their booking."""
    if not actor.is_staff:
        raise EventNotFound()
    _check_draft(draft)
    with write_transaction():
        event = _lock_event(event_id)
        if event is None:
            raise EventNotFound()
        if event.state == EVENT_CANCELLED:
            raise EventError("This event has been called off and can no longer be changed.")
        if draft.capacity < event.seats_taken:
            raise EventError(f"{event.seats_taken} seats are already confirmed; the capacity cannot be lower.",
                             "capacity")
        moved = draft.starts_at != event.starts_at
        _apply(event, draft, actor)
        event.sequence += 1
        if moved:  # a reminder about the old time must go again, about the new one
            db.session.execute(update(Booking).where(Booking.event_id == event.id)
                               .values(reminder_sent_at=None).execution_options(synchronize_session=False))
        db.session.flush()
        if event.is_invite_only:
            still = {i.user_id for i in event.invitations}
            dropped = db.session.scalars(select(Booking.user_id).where(
                Booking.event_id == event.id, Booking.state.in_(ACTIVE_BOOKING_STATES),
                Booking.user_id.not_in(still) if still else True))
            for user_id in list(dropped):
                release_future_bookings(user_id, reason="no longer invited", only_event_ids=[event.id])
        _promote_waitlist(event, utcnow())
        audit.record("event.updated", actor=actor, subject=event)
        db.session.commit()
        return event


def publish_event(actor: User, event_id: int) -> Event:
    event = _staff_event(actor, event_id)
    if event.state != EVENT_DRAFT:
        raise EventError("Only a draft can be published.")
    if event.starts_at <= utcnow():
        raise EventError("This event's start has passed; change the date before publishing.")
    event.state = EVENT_PUBLISHED
    event.published_at = utcnow()
    event.sequence += 1
    audit.record("event.published", actor=actor, subject=event)
    db.session.commit()
    return event


def call_off_event(actor: User, event_id: int) -> int:
    """Cancel an event. Everyone booked or waiting is told. Returns how many were told."""
    if not actor.is_staff:
        raise EventNotFound()
    with write_transaction():
        event = _lock_event(event_id)
        if event is None:
            raise EventNotFound()
        if event.state == EVENT_CANCELLED:
            raise EventError("This event has already been called off.")
        was_published = event.state == EVENT_PUBLISHED
        event.state = EVENT_CANCELLED
        event.cancelled_at = utcnow()
        event.sequence += 1
        told = 0
        if was_published:
            bookings = db.session.scalars(select(Booking).where(Booking.event_id == event.id,
                                                                Booking.state.in_(ACTIVE_BOOKING_STATES))
                                          .options(selectinload(Booking.user)))
            for booking in bookings:
                send_mail(booking.user.email, f"Called off: {event.title}", "event_cancelled", user=booking.user,
                          event=event, booking=booking, link=_event_link(event))
                told += 1
        audit.record("event.cancelled", actor=actor, subject=event, told=told)
        db.session.commit()
        return told


# The door list ----------------------------------------------------------------------------------

@dataclass
class AttendeesPage:
    event: Event
    confirmed: list[Booking]
    waiting: list[Booking]
    others: list[Booking]
    feedback: list[EventFeedback]
    average_rating: float | None

    @property
    def checked_in(self) -> int:
        return sum(1 for b in self.confirmed if b.attendance == ATTENDED)


def attendees_page(user: User | None, event_id: int) -> AttendeesPage:
    event = _staff_event(user, event_id)
    bookings = list(db.session.scalars(select(Booking).where(Booking.event_id == event.id)
                                       .options(selectinload(Booking.user)).order_by(Booking.queued_at, Booking.id)))
    feedback = list(db.session.scalars(select(EventFeedback).where(EventFeedback.event_id == event.id)
                                       .options(selectinload(EventFeedback.user)).order_by(EventFeedback.id)))
    average = round(sum(f.rating for f in feedback) / len(feedback), 1) if feedback else None
    return AttendeesPage(
        event=event,
        confirmed=sorted([b for b in bookings if b.state == BOOKING_CONFIRMED], key=lambda b: b.user.full_name.lower()),
        waiting=[b for b in bookings if b.state == BOOKING_WAITLISTED],
        others=[b for b in bookings if b.state not in ACTIVE_BOOKING_STATES],
        feedback=feedback, average_rating=average)


def check_in(user: User | None, event_id: int, booking_id: int, attendance: str | None) -> Booking:
    """Mark a confirmed booking as attended or a no-show at the door ("" undoes the mark)."""
    event = _staff_event(user, event_id)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.event_id != event.id or booking.state != BOOKING_CONFIRMED:
        raise EventError("Only confirmed bookings can be checked in.")
    if attendance not in (ATTENDED, NO_SHOW, None):
        raise EventError("Unknown attendance.")
    booking.attendance = attendance
    booking.checked_in_at = utcnow() if attendance else None
    db.session.commit()
    return booking


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells that start like formulas; a leading quote keeps them text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def attendees_csv(user: User | None, event_id: int) -> tuple[Event, str]:
    page = attendees_page(user, event_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "status", "guests", "seats", "booked_at", "attendance"])
    for b in [*page.confirmed, *page.waiting]:
        writer.writerow([_csv_cell(v) for v in (b.user.full_name, b.user.email, b.state, b.guests, b.party_size,
                                                 b.queued_at.isoformat(timespec="minutes"), b.attendance or "")])
    return page.event, out.getvalue()


# Calendar ---------------------------------------------------------------------------------------

def _feed_key(user: User, create: bool = False) -> CalendarFeedKey | None:
    key = db.session.get(CalendarFeedKey, user.id)
    if key is None and create:
        key = CalendarFeedKey(user_id=user.id, version=1)
        db.session.add(key)
        db.session.commit()
    return key


def feed_url_for(user: User) -> str:
    """The member's personal feed URL (created on first use)."""
    key = _feed_key(user, create=True)
    token = _feed_signer.dumps({"u": user.id, "v": key.version})
    return f"{_public_url()}/calendar/{token}.ics"


def regenerate_feed(user: User) -> str:
    """A new feed URL; every older one stops working."""
    key = _feed_key(user, create=True)
    key.version += 1
    audit.record("event.feed_regenerated", actor=user, subject=user)
    db.session.commit()
    return feed_url_for(user)


def feed_ics(token: str) -> bytes:
    """The member's booked events as an iCalendar feed; EventNotFound for a bad or revoked token."""
    try:
        payload = _feed_signer.loads(token)
    except (TokenInvalid, TokenExpired) as exc:
        raise EventNotFound() from exc
    if not isinstance(payload, dict):
        raise EventNotFound()
    user = db.session.get(User, payload.get("u"))
    key = db.session.get(CalendarFeedKey, payload.get("u")) if user is not None else None
    if key is None or key.version != payload.get("v") or not user.is_active or not has_member_access(user):
        raise EventNotFound()
    since = utcnow() - timedelta(days=60)
    events = list(db.session.scalars(
        select(Event).join(Booking, Booking.event_id == Event.id)
        .where(Booking.user_id == user.id, Booking.state == BOOKING_CONFIRMED,
               Event.state.in_((EVENT_PUBLISHED, EVENT_CANCELLED)), Event.ends_at >= since)
        .order_by(Event.starts_at)))
    return ical.calendar_for(events, name=f"{settings.get('club_name')}: my events", link=_event_link)


def event_ics(user: User | None, event_id: int) -> tuple[Event, bytes]:
    event = event_for(user, event_id)
    return event, ical.calendar_for([event], name=settings.get("club_name"), link=_event_link)


# Reminders and feedback -------------------------------------------------------------------------

def _claim(column, booking_id: int, now: datetime) -> Booking | None:
    """Mark one booking's mail as sent, unless another run did: only the winner gets the booking
    back and sends the mail. Its own short write transaction, so overlapping cron runs queue
    behind each other instead of failing."""
    begin_write()
    result = db.session.execute(update(Booking).where(Booking.id == booking_id, column.is_(None))
                                .values({column.key: now}).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        return None
    return db.session.scalars(select(Booking).where(Booking.id == booking_id)
                              .options(selectinload(Booking.event), selectinload(Booking.user))).one()


def send_reminders(now: datetime | None = None) -> int:
    """Mail every confirmed member whose event starts within the next day, once. Safe to run often."""
    now = now or utcnow()
    due = list(db.session.scalars(
        select(Booking.id).join(Event, Event.id == Booking.event_id)
        .where(Booking.state == BOOKING_CONFIRMED, Booking.reminder_sent_at.is_(None), Event.state == EVENT_PUBLISHED,
               Event.starts_at > now, Event.starts_at <= now + REMINDER_LEAD)
        .order_by(Event.starts_at, Booking.id)))
    db.session.commit()
    sent = 0
    for booking_id in due:
        booking = _claim(Booking.reminder_sent_at, booking_id, now)
        if booking is not None:
            send_mail(booking.user.email, f"Tomorrow: {booking.event.title}", "event_reminder", user=booking.user,
                      event=booking.event, booking=booking, link=_event_link(booking.event))
            db.session.commit()
            sent += 1
    return sent


def send_feedback_requests(now: datetime | None = None) -> int:
    """After an event, ask the people who were there how it was, once each (see
    ``rules.may_give_feedback`` for who counts as there)."""
    now = now or utcnow()
    events = list(db.session.scalars(select(Event.id).where(
        Event.state == EVENT_PUBLISHED, Event.ends_at <= now, Event.ends_at > now - FEEDBACK_WINDOW)))
    due = []
    for event_id in events:
        query = select(Booking.id).where(Booking.event_id == event_id, Booking.state == BOOKING_CONFIRMED,
                                         Booking.feedback_requested_at.is_(None))
        if _check_in_used(event_id):
            query = query.where(Booking.attendance == ATTENDED)
        due.extend(db.session.scalars(query))
    db.session.commit()
    sent = 0
    for booking_id in due:
        booking = _claim(Booking.feedback_requested_at, booking_id, now)
        if booking is not None:
            send_mail(booking.user.email, f"How was {booking.event.title}?", "event_feedback_request",
                      user=booking.user, event=booking.event, link=f"{_event_link(booking.event)}/feedback")
            db.session.commit()
            sent += 1
    return sent


def _check_in_used(event_id: int) -> bool:
    return db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.event_id == event_id, Booking.attendance.is_not(None))) > 0


def _feedback_status(user: User, event: Event, booking: Booking | None, now: datetime) -> tuple[bool, bool]:
    if booking is None or booking.state != BOOKING_CONFIRMED:
        return False, False
    given = db.session.scalar(select(func.count()).select_from(EventFeedback).where(
        EventFeedback.event_id == event.id, EventFeedback.user_id == user.id)) > 0
    allowed = event.state == EVENT_PUBLISHED and rules.may_give_feedback(
        booking_state=booking.state, attendance=booking.attendance, check_in_used=_check_in_used(event.id),
        ended=event.ends_at <= now, already_given=given)
    return given, allowed


def give_feedback(user: User, event_id: int, rating: int, comment: str) -> EventFeedback:
    """Record an attendee's rating and comment; once per attendee."""
    page = event_page(user, event_id)
    if page.feedback_given:
        raise EventError("You have already shared your thoughts on this event. Thank you.")
    if not page.may_give_feedback:
        raise EventError("Feedback is open to those who attended, once the event is over.")
    if not 1 <= rating <= 5:
        raise EventError("Choose a rating from 1 to 5.", "rating")
    feedback = EventFeedback(event_id=page.event.id, user_id=user.id, rating=rating, comment=(comment or "").strip())
    db.session.add(feedback)
    try:
        db.session.commit()
    except Exception as exc:  # a double submit lost the race to the unique constraint
        db.session.rollback()
        if db.session.scalar(select(EventFeedback.id).where(EventFeedback.event_id == event_id,
                                                            EventFeedback.user_id == user.id)) is not None:
            raise EventError("You have already shared your thoughts on this event. Thank you.") from exc
        raise
    return feedback


# For other features -----------------------------------------------------------------------------

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


def recommended_events_for(user: User, limit: int = 3) -> list[Event]:
    """Upcoming events the member may see and has not booked: those sharing an interest with the
    member's profile first, then the soonest. Never an event they may not see."""
    if user.is_staff and not has_member_access(user):
        return []
    booked = select(Booking.event_id).where(Booking.user_id == user.id, Booking.state.in_(ACTIVE_BOOKING_STATES))
    events = _event_listing(user, Event.state == EVENT_PUBLISHED, Event.starts_at > utcnow(), Event.id.not_in(booked))
    profile = db.session.get(MemberProfile, user.id)
    interests = {i.lower() for i in (profile.interests or [])} if profile else set()
    events.sort(key=lambda e: (-len(interests & {t.name.lower() for t in e.tags}), e.starts_at, e.id))
    return events[:limit]


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


# Helpers ----------------------------------------------------------------------------------------

def _public_url() -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/")


def _event_link(event: Event) -> str:
    return f"{_public_url()}/events/{event.id}"


def _local(value: datetime) -> str:
    return value.astimezone(ZoneInfo(settings.get("timezone"))).strftime("%a %d %b, %H:%M")
