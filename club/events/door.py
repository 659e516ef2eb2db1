"""The door list, for staff and for the member who hosts the event: who is booked, waiting or gone,
check-in at the door (attended or no-show), the attendees as CSV, and the feedback the event received.
A member host sees names, not other members' addresses."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from club.events.errors import EventError
from club.events.visibility import door_event
from club.extensions import db
from club.models.base import utcnow
from club.models.membership import MemberProfile
from club.models.user import User
from club.models.events import (ACTIVE_BOOKING_STATES, ATTENDED, BOOKING_CONFIRMED, BOOKING_WAITLISTED, NO_SHOW,
                                Booking, Event, EventFeedback)


@dataclass
class AttendeesPage:
    event: Event
    confirmed: list[Booking]
    waiting: list[Booking]
    others: list[Booking]
    feedback: list[EventFeedback]
    average_rating: float | None
    show_contact: bool = True  # staff see addresses; a member host does not
    # Staff see members' photos so they can greet them at the door (ids of the members who have one).
    with_photo: frozenset[int] = frozenset()

    @property
    def checked_in(self) -> int:
        return sum(1 for b in self.confirmed if b.attendance == ATTENDED)


def attendees_page(user: User | None, event_id: int) -> AttendeesPage:
    event = door_event(user, event_id)
    bookings = list(db.session.scalars(select(Booking).where(Booking.event_id == event.id)
                                       .options(selectinload(Booking.user)).order_by(Booking.queued_at, Booking.id)))
    feedback = list(db.session.scalars(select(EventFeedback).where(EventFeedback.event_id == event.id)
                                       .options(selectinload(EventFeedback.user)).order_by(EventFeedback.id)))
    average = round(sum(f.rating for f in feedback) / len(feedback), 1) if feedback else None
    with_photo = members_with_photo([b.user_id for b in bookings]) if user.is_staff and bookings else frozenset()
    return AttendeesPage(
        event=event,
        confirmed=sorted([b for b in bookings if b.state == BOOKING_CONFIRMED], key=lambda b: b.user.full_name.lower()),
        waiting=[b for b in bookings if b.state == BOOKING_WAITLISTED],
        others=[b for b in bookings if b.state not in ACTIVE_BOOKING_STATES],
        feedback=feedback, average_rating=average, show_contact=user.is_staff, with_photo=with_photo)


def members_with_photo(user_ids: list[int]) -> frozenset[int]:
    """Which of these members have a photo (one query; the photo itself is served by the members pages)."""
    return frozenset(db.session.scalars(select(MemberProfile.user_id).where(
        MemberProfile.user_id.in_(user_ids), MemberProfile.photo_filename.is_not(None))))


def check_in(user: User | None, event_id: int, booking_id: int, attendance: str | None) -> Booking:
    """Mark a confirmed booking as attended or a no-show at the door ("" undoes the mark)."""
    event = door_event(user, event_id)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.event_id != event.id or booking.state != BOOKING_CONFIRMED:
        raise EventError(_("Only confirmed bookings can be checked in."))
    if attendance not in (ATTENDED, NO_SHOW, None):
        raise EventError(_("Unknown attendance."))
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
    contact = ["email"] if page.show_contact else []
    writer.writerow(["name", *contact, "status", "guests", "seats", "booked_at", "attendance"])
    for b in [*page.confirmed, *page.waiting]:
        email = [b.user.email] if page.show_contact else []
        writer.writerow([_csv_cell(v) for v in (b.user.full_name, *email, b.state, b.guests, b.party_size,
                                                 b.queued_at.isoformat(timespec="minutes"), b.attendance or "")])
    return page.event, out.getvalue()
