"""iCalendar (RFC 5545) for events, written with the ``icalendar`` library.

UIDs are built from the event id and the club's public host, so a calendar that subscribed to
the feed recognises an event again after it changes (SEQUENCE tells it which version is newer)
and marks it cancelled instead of keeping a stale copy.
"""
from __future__ import annotations

from typing import Callable, Iterable

from icalendar import Calendar
from icalendar import Event as VEvent

from club.core.links import public_host
from club.models.base import utcnow
from club.models.events import EVENT_CANCELLED, Event


def event_uid(event: Event) -> str:
    host = public_host() or "club.local"
    return f"event-{event.id}@{host}"


def calendar_for(events: Iterable[Event], *, name: str, link: Callable[[Event], str]) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{name}//Club events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = utcnow()
    for event in events:
        url = link(event)
        entry = VEvent()
        entry.add("uid", event_uid(event))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
        entry.add("summary", event.title)
        entry.add("description", f"{event.description}\n\n{url}".strip())
        entry.add("location", ", ".join(p for p in (event.venue_name, event.venue_address) if p))
        entry.add("url", url)
        entry.add("sequence", event.sequence)
        entry.add("last-modified", event.updated_at)
        entry.add("status", "CANCELLED" if event.state == EVENT_CANCELLED else "CONFIRMED")
        cal.add_component(entry)
    return cal.to_ical()
