"""Figures from parts of the app the metrics may not import (the member portal owns requests and
members at risk, and no feature imports the portal). The app factory hands their functions in
(``club._wire_providers``); the metrics ask for them by name and get plain rows back.

A provider missing (an app assembled without the portal) leaves its figures out of the page.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

# name → what the provider is called with → what it returns
OPEN_REQUESTS = "open_requests"  # () → [{curator_id, open, waiting}] today
REQUESTS_OPENED = "requests_opened"  # (start, end) → [{request_id, curator_id, opened_at, answered_at}]
AT_RISK = "at_risk"  # (now) → [{curator_id, at_risk}] today
NAMES = (OPEN_REQUESTS, REQUESTS_OPENED, AT_RISK)

_providers: dict[str, Callable[..., list[dict]]] = {}


def provide(name: str, function: Callable[..., list[dict]]) -> None:
    """Register the function that answers ``name`` (the last registration wins)."""
    if name not in NAMES:
        raise ValueError(f"unknown metrics provider {name!r}")
    _providers[name] = function


def has(*names: str) -> bool:
    return all(name in _providers for name in names)


def rows(name: str, *args: datetime) -> list[dict]:
    """The provider's rows; an empty list when nobody provides ``name``."""
    function = _providers.get(name)
    return list(function(*args)) if function is not None else []
