"""What every template can use: club settings, the signed-in person's roles, date formatting."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time
from babel.numbers import format_currency, format_decimal, get_currency_precision
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


# Named date styles, each a CLDR skeleton Babel turns into the reader's language's own order and
# words: "Sat 5 Dec 2026, 19:00" in English, "сб, 5 дек. 2026 г., 19:00" in Russian.
DATE_STYLES: dict[str, tuple[str | None, bool]] = {
    # style: (date skeleton or None, with the time)
    "datetime": ("yMMMEd", True),        # Sat 5 Dec 2026, 19:00
    "long_datetime": ("yMMMMEEEEd", True),  # Saturday 5 December 2026, 19:00
    "weekday_datetime": ("MMMMEEEEd", True),  # Saturday 5 December, 19:00
    "day_month_time": ("MMMd", True),    # 5 Dec, 19:00
    "date": ("yMMMd", False),            # 5 Dec 2026
    "long_date": ("yMMMMd", False),      # 5 December 2026
    "day_month": ("MMMd", False),        # 5 Dec
    "month_year": ("yMMM", False),       # Dec 2026
    "long_month_year": ("yMMMM", False),  # December 2026
    "month": ("MMM", False),             # Dec
    "day": ("d", False),                 # 5
    "time": (None, True),                # 19:00
}


# The club writes English the British way (5 Dec 2026, 19:00), as it did before it spoke Russian.
_FORMAT_LOCALES = {"en": "en_GB"}


def _language() -> str:
    from club.core.i18n import current_language

    return current_language() if has_app_context() else "en"


def _locale() -> str:
    """The locale dates are written in (money keeps plain English: $9.99, not US$9.99)."""
    language = _language()
    return _FORMAT_LOCALES.get(language, language)


def format_local(value: datetime | date | None, style: str = "datetime", zone: ZoneInfo | None = None) -> str:
    """``value`` in the club's time zone (a datetime) in the reader's language, in a named style."""
    if value is None:
        return ""
    skeleton, with_time = DATE_STYLES[style]
    locale = _locale()
    if isinstance(value, datetime):
        value = value.astimezone(zone or club_zone())
    parts = []
    if skeleton:
        parts.append(format_skeleton(skeleton, value, locale=locale))
    if with_time and isinstance(value, datetime):
        parts.append(format_time(value, "HH:mm", locale=locale))
    return ", ".join(parts)


def local_time(value: datetime | None, style: str = "datetime") -> str:
    return format_local(value, style)


def money(cents: int | None, currency: str | None = None, locale: str | None = None) -> str:
    """An amount in the currency's smallest unit (Stripe's way: cents, or yen), for any ISO
    currency, written the reader's way: €150.00 in English, 150,00 € in Russian."""
    if cents is None:
        return ""
    code = (currency or settings.get("currency")).upper()
    amount = Decimal(cents) / (10 ** get_currency_precision(code))
    return format_currency(amount, code, locale=locale or _language())


def number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """A number the reader's way (12,345.5 / 12 345,5)."""
    if value is None:
        return ""
    if decimals is not None:
        return format_decimal(value, format="#,##0." + "0" * decimals if decimals else "#,##0",
                              locale=_language())
    return format_decimal(value, locale=_language())


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
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["paragraphs"] = paragraphs

    @app.context_processor
    def _club():
        return {"club": settings.all_settings()}
