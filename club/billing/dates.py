"""Billing days in the club's time zone: the date a period ends on, and the moment an offline period ends."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from club.core import settings


def club_date(value: datetime | None) -> date | None:
    """The day ``value`` falls on in the club's time zone (None stays None)."""
    return value.astimezone(ZoneInfo(settings.get("timezone"))).date() if value else None


def end_of_day(day: date) -> datetime:
    """An offline period covers its last day in full, in the club's time zone."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.get("timezone")))
    return local.astimezone(timezone.utc)
