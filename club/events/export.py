"""What events hold about a member, for their copy of their data (``club.members.export``): their
bookings, each with the event's title, time and place."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from club.extensions import db
from club.models.user import User
from club.models.events import Booking


def bookings_for_export(user: User) -> list[dict]:
    rows = db.session.scalars(db.select(Booking).where(Booking.user_id == user.id)
                              .options(selectinload(Booking.event)).order_by(Booking.id))
    return [{"event": b.event.title, "starts_at": b.event.starts_at, "venue": b.event.venue_name,
             "state": b.state, "guests": b.guests, "booked_at": b.queued_at, "confirmed_at": b.confirmed_at,
             "cancelled_at": b.cancelled_at, "attendance": b.attendance} for b in rows]
