"""Feedback on an event: who may give it (``rules.may_give_feedback``: those who were there, once
the event is over, once each) and recording their rating and comment."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from club.events import rules
from club.events.errors import EventError
from club.events.visibility import event_for
from club.extensions import db
from club.models.base import utcnow
from club.models.user import User
from club.models.events import BOOKING_CONFIRMED, EVENT_PUBLISHED, Booking, Event, EventFeedback


def check_in_used(event_id: int) -> bool:
    """Whether the door list was kept for this event (anyone marked attended or a no-show)."""
    return db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.event_id == event_id, Booking.attendance.is_not(None))) > 0


def feedback_status(user: User, event: Event, booking: Booking | None, now: datetime) -> tuple[bool, bool]:
    """(feedback already given, may give feedback now) for this person's booking of the event."""
    if booking is None or booking.state != BOOKING_CONFIRMED:
        return False, False
    given = db.session.scalar(select(func.count()).select_from(EventFeedback).where(
        EventFeedback.event_id == event.id, EventFeedback.user_id == user.id)) > 0
    allowed = event.state == EVENT_PUBLISHED and rules.may_give_feedback(
        booking_state=booking.state, attendance=booking.attendance, check_in_used=check_in_used(event.id),
        ended=event.ends_at <= now, already_given=given)
    return given, allowed


def give_feedback(user: User, event_id: int, rating: int, comment: str) -> EventFeedback:
    """Record an attendee's rating and comment; once per attendee."""
    event = event_for(user, event_id)
    booking = db.session.scalars(select(Booking).where(Booking.event_id == event.id,
                                                       Booking.user_id == user.id)).first()
    feedback_given, may_give_feedback = feedback_status(user, event, booking, utcnow())
    if feedback_given:
        raise EventError(_("You have already shared your thoughts on this event. Thank you."))
    if not may_give_feedback:
        raise EventError(_("Feedback is open to those who attended, once the event is over."))
    if not 1 <= rating <= 5:
        raise EventError(_("Choose a rating from 1 to 5."), "rating")
    feedback = EventFeedback(event_id=event.id, user_id=user.id, rating=rating, comment=(comment or "").strip())
    db.session.add(feedback)
    try:
        db.session.commit()
    except Exception as exc:  # a double submit lost the race to the unique constraint
        db.session.rollback()
        if db.session.scalar(select(EventFeedback.id).where(EventFeedback.event_id == event_id,
                                                            EventFeedback.user_id == user.id)) is not None:
            raise EventError(_("You have already shared your thoughts on this event. Thank you.")) from exc
        raise
    return feedback
