"""Event figures for the owner's metrics: per event fill, no-shows, waitlist promotions and
ratings; who attended lately; feedback given. Plain rows, one statement each whatever the size.

Fill rate is seats taken ÷ capacity as the event stands (bookings close at the start, so for a
past event that is the count at its start). No-shows are counted among the bookings checked at
the door. A promotion is a booking confirmed after it queued (it waited on the list).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, case, func, select

from club.extensions import db
from club.models.events import ATTENDED, BOOKING_CONFIRMED, EVENT_PUBLISHED, NO_SHOW, Booking, Event, EventFeedback


def event_rows(start: datetime, end: datetime) -> list[dict]:
    """Every published event that started in ``[start, end)``, oldest first, with its figures."""
    def count(condition):
        return func.sum(case((condition, 1), else_=0))

    seats = (select(Booking.event_id,
                    count(Booking.attendance == ATTENDED).label("attended"),
                    count(Booking.attendance == NO_SHOW).label("no_show"),
                    count(and_(Booking.state == BOOKING_CONFIRMED, Booking.confirmed_at > Booking.queued_at))
                    .label("promoted"))
             .group_by(Booking.event_id).subquery())
    ratings = (select(EventFeedback.event_id, func.count().label("ratings"),
                      func.sum(EventFeedback.rating).label("rating_sum"))
               .group_by(EventFeedback.event_id).subquery())
    rows = db.session.execute(
        select(Event.id, Event.title, Event.starts_at, Event.capacity, Event.seats_taken,
               seats.c.attended, seats.c.no_show, seats.c.promoted, ratings.c.ratings, ratings.c.rating_sum)
        .outerjoin(seats, seats.c.event_id == Event.id).outerjoin(ratings, ratings.c.event_id == Event.id)
        .where(Event.state == EVENT_PUBLISHED, Event.starts_at >= start, Event.starts_at < end)
        .order_by(Event.starts_at, Event.id)).all()
    keys = ("event_id", "title", "starts_at", "capacity", "seats_taken", "attended", "no_show", "promoted",
            "ratings", "rating_sum")
    return [dict(zip(keys, (*r[:5], *(int(v or 0) for v in r[5:])))) for r in rows]


def attendees_since(moments: list[datetime], until: datetime) -> list[int]:
    """For each moment, how many people were checked in at an event that started between it and ``until``."""
    if not moments:
        return []
    columns = [func.count(func.distinct(case((Event.starts_at >= m, Booking.user_id), else_=None))) for m in moments]
    row = db.session.execute(
        select(*columns).select_from(Booking).join(Event, Event.id == Booking.event_id)
        .where(Booking.attendance == ATTENDED, Event.starts_at < until)).one()
    return [int(v or 0) for v in row]


def feedback_given(start: datetime, end: datetime) -> int:
    return int(db.session.scalar(select(func.count(EventFeedback.id))
                                 .where(EventFeedback.created_at >= start, EventFeedback.created_at < end)) or 0)


def per_member(start: datetime, end: datetime) -> dict[str, dict[int, int]]:
    """For the leaders page: per member, events attended (checked in), events hosted and feedback
    given, for events that started in ``[start, end)``. Three grouped statements whatever the size."""
    attended = db.session.execute(
        select(Booking.user_id, func.count()).join(Event, Event.id == Booking.event_id)
        .where(Booking.attendance == ATTENDED, Event.state == EVENT_PUBLISHED,
               Event.starts_at >= start, Event.starts_at < end).group_by(Booking.user_id)).all()
    hosted = db.session.execute(
        select(Event.host_id, func.count()).where(Event.host_id.is_not(None), Event.state == EVENT_PUBLISHED,
                                                  Event.starts_at >= start, Event.starts_at < end)
        .group_by(Event.host_id)).all()
    feedback = db.session.execute(
        select(EventFeedback.user_id, func.count()).join(Event, Event.id == EventFeedback.event_id)
        .where(EventFeedback.user_id.is_not(None), Event.starts_at >= start, Event.starts_at < end)
        .group_by(EventFeedback.user_id)).all()
    return {"attended": dict(attended), "hosted": dict(hosted), "feedback": dict(feedback)}


def last_attended(user_ids: list[int]) -> dict[int, datetime]:
    """For the members-at-risk list: when each member was last checked in at an evening. One statement."""
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(Booking.user_id, func.max(Event.starts_at)).join(Event, Event.id == Booking.event_id)
        .where(Booking.attendance == ATTENDED, Booking.user_id.in_(user_ids)).group_by(Booking.user_id)).all())


def latest_low_rating(user_ids: list[int] | Select, since: datetime, at_most: int = 2) -> dict[int, datetime]:
    """For the members-at-risk list: each member's (a list of ids, or a SELECT of them) latest rating
    of ``at_most`` or less given since ``since``."""
    if isinstance(user_ids, list) and not user_ids:
        return {}
    return dict(db.session.execute(
        select(EventFeedback.user_id, func.max(EventFeedback.created_at))
        .where(EventFeedback.rating <= at_most, EventFeedback.created_at >= since,
               EventFeedback.user_id.in_(user_ids)).group_by(EventFeedback.user_id)).all())


def attended_after(since: datetime) -> set[int]:
    """For the at-risk counts: everyone checked in at an evening that started after ``since``. One statement."""
    # no DISTINCT: the set removes repeats, and SQLite would walk the user index for it (slower)
    return set(db.session.scalars(
        select(Booking.user_id).join(Event, Event.id == Booking.event_id)
        .where(Booking.attendance == ATTENDED, Event.starts_at > since)))
