"""Input outside forms: ids in URLs, numbers and search words in query strings, made safe to query.

A path such as ``/events/99999999999999999999`` or ``?page=99999999999999999999`` would otherwise
reach PostgreSQL as a number no INTEGER column holds ("integer out of range", a 500). Forms get
the same bound from ``club.core.forms.ClubForm``.
"""
from __future__ import annotations

import re

from flask import Flask
from werkzeug.routing import IntegerConverter

from club.core.forms import MAX_INT, MIN_INT

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SEARCH_LIMIT = 200


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


def search_words(value: str | None, limit: int = SEARCH_LIMIT) -> str:
    """A search typed into a query string: control characters dropped (no stored text holds them,
    and PostgreSQL refuses a NUL even in a LIKE pattern), trimmed, and cut to ``limit``."""
    return _CONTROL.sub("", value or "").strip()[:limit]


def init_app(app: Flask) -> None:
    """Before any blueprint adds its routes."""
    app.url_map.converters["int"] = BoundedIntegerConverter
