"""Mails that go out on their own (run from cron, see ``club.events.cli``): the reminder a day
before an event, and the feedback request after it. Each mail is claimed in the database before
it is sent, so overlapping runs never send one twice."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from club.core.database import begin_write
from club.core.mail import send_mail
from club.events.feedback import check_in_used
from club.events.links import event_link
from club.extensions import db
from club.models.base import utcnow
from club.models.events import ATTENDED, BOOKING_CONFIRMED, EVENT_PUBLISHED, Booking, Event

FEEDBACK_WINDOW = timedelta(days=14)  # how long after an event its feedback request still goes out
REMINDER_LEAD = timedelta(hours=24)


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
            send_mail(booking.user.email, _l("Tomorrow: %(title)s", title=booking.event.title), "event_reminder",
                      language=booking.user.language, user=booking.user, event=booking.event, booking=booking,
                      link=event_link(booking.event))
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
        if check_in_used(event_id):
            query = query.where(Booking.attendance == ATTENDED)
        due.extend(db.session.scalars(query))
    db.session.commit()
    sent = 0
    for booking_id in due:
        booking = _claim(Booking.feedback_requested_at, booking_id, now)
        if booking is not None:
            send_mail(booking.user.email, _l("How was %(title)s?", title=booking.event.title),
                      "event_feedback_request", language=booking.user.language, user=booking.user,
                      event=booking.event, link=f"{event_link(booking.event)}/feedback")
            db.session.commit()
            sent += 1
    return sent
