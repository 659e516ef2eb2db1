"""Refusals shared by the way in's use cases: a record that is not the caller's, a refused step."""
from __future__ import annotations


class NotYours(LookupError):
    """The record does not exist or belongs to someone else (answered as 404)."""


class ApplicationError(Exception):
    """A use case around an application refused; ``field`` names the form field to show it at."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
