"""Input outside forms: ids in URLs and numbers in query strings, bounded to what a column holds.

A path such as ``/events/99999999999999999999`` or ``?page=99999999999999999999`` would otherwise
reach PostgreSQL as a number no INTEGER column holds ("integer out of range", a 500). Forms get
the same bound from ``club.core.forms.ClubForm``.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from club.core.forms import MAX_INT, MIN_INT


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` in every route: 0 to the largest INTEGER; anything larger is a 404."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_INT, signed=False):  # noqa: A002 (Werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def bounded_int(value, default: int | None = None) -> int | None:
    """A whole number from a query string, or ``default`` when missing, malformed or beyond a column."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if MIN_INT <= number <= MAX_INT else default


def init_app(app: Flask) -> None:
    """Before any blueprint adds its routes."""
    app.url_map.converters["int"] = BoundedIntegerConverter
