"""Events for tests: published, a week away, by default open to all members."""
from __future__ import annotations

from datetime import timedelta

from club.extensions import db
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.events import (BOOKING_CONFIRMED, BOOKING_WAITLISTED, EVENT_PUBLISHED, Booking, Event,
                                EventInvitation)


def make_event(title: str = "Supper", *, starts_in: timedelta = timedelta(days=7), hours: int = 3,
               capacity: int = 10, max_guests: int = 2, cutoff: int = 24, state: str = EVENT_PUBLISHED,
               visibility: str = "members", invited=(), tags=(), host=None, commit: bool = True) -> Event:
    starts = utcnow() + starts_in
    tag_rows = []
    for name in tags:
        tag = db.session.scalars(db.select(InterestTag).where(InterestTag.name == name)).first()
        if tag is None:
            tag = InterestTag(name=name)
            db.session.add(tag)
        tag_rows.append(tag)
    event = Event(title=title, description="An evening.", starts_at=starts, ends_at=starts + timedelta(hours=hours),
                  venue_name="The Linden Room", venue_address="14 Mercer Street", capacity=capacity,
                  seats_taken=0, max_guests=max_guests, cancel_cutoff_hours=cutoff, state=state,
                  visibility=visibility, host_id=host.id if host else None, tags=tag_rows,
                  published_at=utcnow() if state == EVENT_PUBLISHED else None)
    db.session.add(event)
    db.session.flush()
    for user in invited:
        db.session.add(EventInvitation(event_id=event.id, user_id=user.id))
    if commit:
        db.session.commit()
    return event


def seat(event: Event, user, guests: int = 0, state: str = BOOKING_CONFIRMED, commit: bool = True) -> Booking:
    """A booking made directly (no mail), keeping the event's seat count right."""
    now = utcnow()
    booking = Booking(event_id=event.id, user_id=user.id, guests=guests, state=state, queued_at=now,
                      confirmed_at=now if state == BOOKING_CONFIRMED else None)
    db.session.add(booking)
    if state == BOOKING_CONFIRMED:
        event.seats_taken += 1 + guests
    if commit:
        db.session.commit()
    return booking


def reload(obj):
    db.session.commit()
    db.session.refresh(obj)
    return obj


__all__ = ["make_event", "seat", "reload", "BOOKING_CONFIRMED", "BOOKING_WAITLISTED"]
