"""Feedback on an event: who may give it (``rules.may_give_feedback``: those who were there, once
the event is over, once each), recording their rating and comment (the host and the attendee's
curator are told: ``feedback_notices``), and a member's feedback for their curator's file."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from club.core import audit
from club.core.database import begin_write
from club.events import feedback_notices, rules
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


def _event_open_to_feedback(user: User, event_id: int, rating: int) -> Event:
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
    return event


def give_feedback(user: User, event_id: int, rating: int, comment: str) -> EventFeedback:
    """Record an attendee's rating and comment, once per attendee, and tell the host and their curator.
    Begun as a writer, so on SQLite a double submit waits for the first and finds it given."""
    begin_write()
    try:
        event = _event_open_to_feedback(user, event_id, rating)
    except Exception:  # refused (or no such event): give the write lock back at once
        db.session.rollback()
        raise
    feedback = EventFeedback(event_id=event.id, user_id=user.id, rating=rating, comment=(comment or "").strip())
    db.session.add(feedback)
    try:
        db.session.flush()  # a double submit that lost the race stops here, before any mail is written
        told = feedback_notices.tell_host_and_curator(feedback, event, user)
        audit.record("event.feedback_given", actor=user, subject=event, feedback=feedback.id, told=told)
        db.session.commit()
    except Exception as exc:  # a double submit lost the race to the unique constraint
        db.session.rollback()
        if db.session.scalar(select(EventFeedback.id).where(EventFeedback.event_id == event_id,
                                                            EventFeedback.user_id == user.id)) is not None:
            raise EventError(_("You have already shared your thoughts on this event. Thank you.")) from exc
        raise
    return feedback


@dataclass(frozen=True)
class GivenFeedback:
    """A rating a member gave, with the evening it was about (for their curator's file)."""

    event_id: int
    event_title: str
    event_starts_at: datetime
    rating: int
    comment: str
    given_at: datetime

    @property
    def low(self) -> bool:
        return feedback_notices.is_low(self.rating)


def feedback_by(member_id: int, limit: int = 10) -> list[GivenFeedback]:
    """The member's latest ratings and comments, newest first. One statement."""
    rows = db.session.execute(
        select(Event.id, Event.title, Event.starts_at, EventFeedback.rating, EventFeedback.comment,
               EventFeedback.created_at)
        .join(Event, Event.id == EventFeedback.event_id).where(EventFeedback.user_id == member_id)
        .order_by(EventFeedback.created_at.desc(), EventFeedback.id.desc()).limit(limit)).all()
    return [GivenFeedback(*row) for row in rows]
