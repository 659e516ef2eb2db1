"""What every template can use: club settings, the signed-in person's roles, date formatting."""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_currency, get_currency_precision
from flask import Flask, g, has_app_context
from markupsafe import Markup, escape

from club.core import settings


def club_zone() -> ZoneInfo:
    """The club's time zone, read from the settings once per request (lists format many dates)."""
    if not has_app_context():
        return ZoneInfo(settings.get("timezone"))
    zone = g.get("club_zone")
    if zone is None:
        zone = g.club_zone = ZoneInfo(settings.get("timezone"))
    return zone


def local_time(value: datetime | None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(club_zone()).strftime(fmt)


def money(cents: int | None, currency: str | None = None, locale: str = "en") -> str:
    """An amount in the currency's smallest unit (Stripe's way: cents, or yen), for any ISO currency."""
    if cents is None:
        return ""
    code = (currency or settings.get("currency")).upper()
    amount = Decimal(cents) / (10 ** get_currency_precision(code))
    return format_currency(amount, code, locale=locale)


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def _linkify(text: str) -> Markup:
    """Escape plain text and turn its http(s) addresses into links; no other HTML gets through."""
    out, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0)
        # Sentence punctuation after an address, or the bracket around it, is not part of it.
        trimmed = url.rstrip(".,;:!?")
        while trimmed.endswith(")") and trimmed.count("(") < trimmed.count(")"):
            trimmed = trimmed[:-1].rstrip(".,;:!?")
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<a href="{0}" rel="nofollow noopener">{0}</a>').format(trimmed))
        last = match.start() + len(trimmed)
    out.append(escape(text[last:]))
    return Markup("").join(out)


def paragraphs(text: str | None) -> Markup:
    """Plain text with blank-line paragraphs, escaped; web addresses become links (no HTML from users)."""
    if not text:
        return Markup("")
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("".join(f"<p>{_linkify(p).replace(chr(10), Markup('<br>'))}</p>" for p in parts))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["paragraphs"] = paragraphs

    @app.context_processor
    def _club():
        return {"club": settings.all_settings()}
