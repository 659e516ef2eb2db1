"""What members see of events: the list (optionally by interest tag), the month's calendar, one
event's page with what the person may do there, and events recommended to a member. Only events
the person may see (``club.events.visibility``); each page takes a fixed number of queries."""
from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from club.core import settings
from club.core.pagination import paginate
from club.core.templating import format_local
from club.events import rules
from club.events.feedback import feedback_status
from club.events.feeds import feed_url_for
from club.events.visibility import event_for, visible_to
from club.extensions import db
from club.membership.access import has_member_access
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.membership import MemberProfile
from club.models.user import User
from club.models.events import (ACTIVE_BOOKING_STATES, BOOKING_WAITLISTED, EVENT_PUBLISHED, Booking, Event,
                                EventTag)


@dataclass
class EventsPage:
    events: list[Event]
    my_bookings: dict[int, Booking]
    tags: list[InterestTag]
    selected_tag: str | None
    feed_url: str | None
    page: int = 1
    pages: int = 1


EVENTS_PER_PAGE = 24


def _my_bookings(user: User, event_ids: list[int]) -> dict[int, Booking]:
    if not event_ids:
        return {}
    rows = db.session.scalars(select(Booking).where(Booking.user_id == user.id, Booking.event_id.in_(event_ids),
                                                    Booking.state.in_(ACTIVE_BOOKING_STATES)))
    return {b.event_id: b for b in rows}


def _event_listing(user: User, *conditions) -> list[Event]:
    query = (select(Event).where(visible_to(user), *conditions)
             .options(selectinload(Event.tags), selectinload(Event.host))
             .order_by(Event.starts_at, Event.id))
    return list(db.session.scalars(query))


def events_page(user: User, tag: str | None = None, page: int = 1) -> EventsPage:
    """Events not yet over that the person may see (staff also see drafts and called-off ones), optionally
    those with one interest tag, soonest first, ``EVENTS_PER_PAGE`` a page ("later" pages follow);
    with the person's own bookings. A fixed number of queries."""
    now = utcnow()
    # An evening under way stays listed until it ends: the host needs it for the door list.
    conditions = [Event.ends_at > now]
    if not user.is_staff:
        conditions.append(Event.state == EVENT_PUBLISHED)
    if tag:
        conditions.append(Event.id.in_(select(EventTag.event_id).join(InterestTag, InterestTag.id == EventTag.tag_id)
                                       .where(InterestTag.name == tag)))
    query = (select(Event).where(visible_to(user), *conditions)
             .options(selectinload(Event.tags), selectinload(Event.host))
             .order_by(Event.starts_at, Event.id))
    cut = paginate(query, page=page, per_page=EVENTS_PER_PAGE)
    events = cut.items
    tags = list(db.session.scalars(select(InterestTag).order_by(InterestTag.name)))
    return EventsPage(events=events, my_bookings=_my_bookings(user, [e.id for e in events]), tags=tags,
                      selected_tag=tag, feed_url=feed_url_for(user) if has_member_access(user) else None,
                      page=cut.page, pages=cut.pages)


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
        # A heading: Russian writes a month in lower case ("декабрь 2026 г."), a heading starts upper.
        text = format_local(date(self.year, self.month, 1), "long_month_year")
        return text[:1].upper() + text[1:]


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
    feedback_given, may_feedback = feedback_status(user, event, booking, now)
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


def recommended_events_for(user: User, limit: int = 3) -> list[Event]:
    """Upcoming events the member may see and has not booked: those sharing an interest with the
    member's profile first, then the soonest. Never an event they may not see."""
    if user.is_staff and not has_member_access(user):
        return []
    booked = select(Booking.event_id).where(Booking.user_id == user.id, Booking.state.in_(ACTIVE_BOOKING_STATES))
    profile = db.session.get(MemberProfile, user.id)
    interests = {i.lower() for i in (profile.interests or [])} if profile else set()
    # The tags are few; matching their names here keeps Python's notion of "the same interest".
    tag_ids = [t.id for t in db.session.scalars(select(InterestTag)) if t.name.lower() in interests]
    shared = (select(func.count()).select_from(EventTag)
              .where(EventTag.event_id == Event.id, EventTag.tag_id.in_(tag_ids)).scalar_subquery())
    # Ranked and cut in SQL: only ``limit`` events are loaded, however many are coming up.
    query = (select(Event).where(visible_to(user), Event.state == EVENT_PUBLISHED, Event.starts_at > utcnow(),
                                 Event.id.not_in(booked))
             .options(selectinload(Event.tags), selectinload(Event.host))
             .order_by(shared.desc(), Event.starts_at, Event.id).limit(limit))
    return list(db.session.scalars(query))
