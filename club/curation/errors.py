"""Curation's refusals, and the check that the person asking is a curator or an admin."""
from __future__ import annotations

from flask_babel import gettext as _

from club.models.user import User


class CurationError(Exception):
    """A use case refused; the message is safe to show. ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAllowed(CurationError):
    """The person asking may not do this (the view answers 403)."""


class NotFound(CurationError):
    """No such thing, or not one this person may know about (the view answers 404)."""


def require_staff(user: User) -> None:
    if user is None or not getattr(user, "is_staff", False):
        raise NotAllowed(_("Only curators and admins may do this."))
