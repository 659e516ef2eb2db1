"""The club's absolute links, always on PUBLIC_URL and never on the Host a request came with.

A link that leaves the site (a mail, a calendar, Stripe's return address) must point at the club,
whatever Host or X-Forwarded-Host header the request that caused it carried: built from the
request, a password-reset mail asked for with ``Host: attacker.example`` would carry a valid token
to the attacker's site. So every absolute link is built here, from the configured PUBLIC_URL,
and ``url_for(..., _external=True)`` is used nowhere in the app (tests/core/test_links.py checks).
Works inside a request and outside one (the CLI's reminders and purges).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def public_url() -> str:
    """The club's public address without a trailing slash, e.g. ``https://club.example``."""
    return current_app.config["PUBLIC_URL"].rstrip("/")


def public_host() -> str:
    """The host name of PUBLIC_URL (no port), e.g. ``club.example``."""
    return urlsplit(current_app.config["PUBLIC_URL"]).hostname or ""


def public_url_for(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` on PUBLIC_URL (a path prefix in PUBLIC_URL is kept)."""
    base = urlsplit(public_url())
    values = dict(values)
    current_app.inject_url_defaults(endpoint, values)
    anchor = values.pop("_anchor", None)
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url
