"""The evenings of a stretch of time that a person may see, for the month on a member's home and the
monthly programme mail (``club.announcements``). Published evenings only, whoever asks: a member
who is also staff gets no draft in their programme. Never an evening the person may not see
(``club.events.visibility``); one query (with the tags and hosts), however many evenings."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from club.events.links import event_link
from club.events.visibility import visible_to
from club.extensions import db
from club.models.events import EVENT_PUBLISHED, Event
from club.models.user import User


def evenings_between(user: User, start: datetime, end: datetime) -> list[Event]:
    """Published evenings the person may see that start in [start, end), soonest first."""
    query = (select(Event).where(visible_to(user), Event.state == EVENT_PUBLISHED,
                                 Event.starts_at >= start, Event.starts_at < end)
             .options(selectinload(Event.tags), selectinload(Event.host))
             .order_by(Event.starts_at, Event.id))
    return list(db.session.scalars(query))


def booking_link(event: Event) -> str:
    """The evening's page on the club's PUBLIC_URL, where a member books it."""
    return event_link(event)
