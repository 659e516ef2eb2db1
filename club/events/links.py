"""An event's address as members see it in mails and calendars, on the club's PUBLIC_URL."""
from __future__ import annotations

from club.core.links import public_url_for
from club.models.events import Event


def event_link(event: Event) -> str:
    return public_url_for("events.show", event_id=event.id)
