"""How an event use case says no: ``EventNotFound`` (404, so nothing leaks) and ``EventError``
(a refusal whose message is safe to show, at a form field when it names one)."""
from __future__ import annotations

from werkzeug.exceptions import NotFound


class EventNotFound(NotFound):
    """No such event, or not one this person may see: both answer 404 so nothing leaks.

    A werkzeug NotFound, so a view that lets it pass answers with the club's 404 page."""


class EventError(Exception):
    """A use case refused; the message is safe to show. ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
