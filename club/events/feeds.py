"""Calendar files: one event's .ics, and each member's personal feed of the events they are booked
on. The feed's URL carries a signed token (user and key version): regenerating bumps the version,
so every older URL stops working."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from club.core import audit, settings
from club.core.i18n import language_or_default
from club.core.links import public_url_for
from club.core.tokens import Signer, TokenExpired, TokenInvalid
from club.events import calendar as ical
from club.events.errors import EventNotFound
from club.events.links import event_link
from club.events.visibility import event_for
from club.extensions import db
from club.membership.access import has_member_access
from club.models.base import utcnow
from club.models.user import User
from club.models.events import (BOOKING_CONFIRMED, EVENT_CANCELLED, EVENT_PUBLISHED, Booking, CalendarFeedKey,
                                Event)

_feed_signer = Signer(salt="events-calendar-feed")


def _feed_key(user: User, create: bool = False) -> CalendarFeedKey | None:
    key = db.session.get(CalendarFeedKey, user.id)
    if key is None and create:
        key = CalendarFeedKey(user_id=user.id, version=1)
        db.session.add(key)
        db.session.commit()
    return key


def feed_url_for(user: User) -> str:
    """The member's personal feed URL (created on first use)."""
    key = _feed_key(user, create=True)
    token = _feed_signer.dumps({"u": user.id, "v": key.version})
    return public_url_for("events.calendar_feed", token=token)


def regenerate_feed(user: User) -> str:
    """A new feed URL; every older one stops working."""
    key = _feed_key(user, create=True)
    key.version += 1
    audit.record("event.feed_regenerated", actor=user, subject=user)
    db.session.commit()
    return feed_url_for(user)


def feed_ics(token: str) -> bytes:
    """The member's booked events as an iCalendar feed; EventNotFound for a bad or revoked token."""
    try:
        payload = _feed_signer.loads(token)
    except (TokenInvalid, TokenExpired) as exc:
        raise EventNotFound() from exc
    if not isinstance(payload, dict):
        raise EventNotFound()
    user = db.session.get(User, payload.get("u"))
    key = db.session.get(CalendarFeedKey, payload.get("u")) if user is not None else None
    if key is None or key.version != payload.get("v") or not user.is_active or not has_member_access(user):
        raise EventNotFound()
    since = utcnow() - timedelta(days=60)
    events = list(db.session.scalars(
        select(Event).join(Booking, Booking.event_id == Event.id)
        .where(Booking.user_id == user.id, Booking.state == BOOKING_CONFIRMED,
               Event.state.in_((EVENT_PUBLISHED, EVENT_CANCELLED)), Event.ends_at >= since)
        .order_by(Event.starts_at)))
    # A calendar app asks without a cookie or a language of its own: the feed speaks its owner's.
    with force_locale(language_or_default(user.language)):
        name = _("%(club)s: my events", club=settings.get("club_name"))
    return ical.calendar_for(events, name=name, link=event_link)


def event_ics(user: User | None, event_id: int) -> tuple[Event, bytes]:
    event = event_for(user, event_id)
    return event, ical.calendar_for([event], name=settings.get("club_name"), link=event_link)
