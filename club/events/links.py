"""The club's public address and an event's, as members see them in mails and calendars."""
from __future__ import annotations

from flask import current_app

from club.models.events import Event


def public_url() -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/")


def event_link(event: Event) -> str:
    return f"{public_url()}/events/{event.id}"

