"""Managing events, for staff: the event form's choices and values, creating a draft, changing an
event (capacity, invitations, time), publishing it and calling it off. Seat changes happen under
the event's lock (see ``club.events.booking``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from club.core import audit, settings
from club.core.database import begin_write_for_person, write_transaction
from club.core.mail import send_mail
from club.events.booking import lock_event, promote_waitlist, release_future_bookings
from club.events.errors import EventError, EventNotFound
from club.events.links import event_link
from club.events.visibility import staff_event
from club.extensions import db
from club.membership import states as membership_states
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.membership import Membership
from club.models.user import User
from club.models.events import (ACTIVE_BOOKING_STATES, EVENT_CANCELLED, EVENT_DRAFT, EVENT_PUBLISHED, INVITE_ONLY,
                                VISIBLE_TO_MEMBERS, Booking, Event, EventInvitation)


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
    event = staff_event(user, event_id)
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
        raise EventError(_("The end must be after the start."), "ends_at")
    if draft.visibility not in (VISIBLE_TO_MEMBERS, INVITE_ONLY):
        raise EventError(_("Choose who may see the event."), "visibility")
    if draft.visibility == INVITE_ONLY and not draft.invited_ids:
        raise EventError(_("Name at least one member for an invite-only event."), "invited_ids")
    if draft.host_id is not None:
        host = db.session.get(User, draft.host_id)
        if host is None or not host.is_staff:
            raise EventError(_("The host must be a curator or admin."), "host_id")


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
        raise EventError(_("The start must be in the future."), "starts_at")
    # A double submit (or a second click while the first is on its way) must not make two events:
    # the same person creating the same title at the same start within minutes is the same event.
    begin_write_for_person(actor.id)
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
        event = lock_event(event_id)
        if event is None:
            raise EventNotFound()
        if event.state == EVENT_CANCELLED:
            raise EventError(_("This event has been called off and can no longer be changed."))
        if draft.capacity < event.seats_taken:
            raise EventError(ngettext("%(num)d seat is already confirmed; the capacity cannot be lower.",
                                      "%(num)d seats are already confirmed; the capacity cannot be lower.",
                                      event.seats_taken), "capacity")
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
        promote_waitlist(event, utcnow())
        audit.record("event.updated", actor=actor, subject=event)
        db.session.commit()
        return event


def publish_event(actor: User, event_id: int) -> Event:
    event = staff_event(actor, event_id)
    if event.state != EVENT_DRAFT:
        raise EventError(_("Only a draft can be published."))
    if event.starts_at <= utcnow():
        raise EventError(_("This event's start has passed; change the date before publishing."))
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
        event = lock_event(event_id)
        if event is None:
            raise EventNotFound()
        if event.state == EVENT_CANCELLED:
            raise EventError(_("This event has already been called off."))
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
                send_mail(booking.user.email, _l("Called off: %(title)s", title=event.title), "event_cancelled",
                          language=booking.user.language, user=booking.user, event=event, booking=booking,
                          link=event_link(event))
                told += 1
        audit.record("event.cancelled", actor=actor, subject=event, told=told)
        db.session.commit()
        return told
