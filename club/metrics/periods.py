"""The period the owner looks at (this month, last 3 or 12 months, custom) and the one before it.

Pure rules: no database, no request. A period is ``[start, end)`` in UTC, whole days; the
previous period has the same length and ends where this one starts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

CHOICES = (("month", _l("This month")), ("3m", _l("Last 3 months")), ("12m", _l("Last 12 months")),
           ("custom", _l("Custom")))
MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    """The custom dates cannot make a period; the message says why, for the field."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def starts_at(self) -> datetime:
        return datetime(self.start.year, self.start.month, self.start.day, tzinfo=timezone.utc)

    @property
    def ends_at(self) -> datetime:
        return datetime(self.end.year, self.end.month, self.end.day, tzinfo=timezone.utc)

    def previous(self) -> Period:
        return Period(self.start - timedelta(days=self.days), self.start)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        """The period in ISO dates (for machines; the page writes the dates in the reader's language)."""
        return f"{self.start.isoformat()} – {self.last_day.isoformat()}"


def month_start(day: date, back: int = 0) -> date:
    """The first day of ``day``'s month, ``back`` months earlier."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def choose(kind: str, today: date, start: date | None = None, end: date | None = None) -> Period:
    """The period for the chooser's value; ``end`` of a custom period is the last day included."""
    tomorrow = today + timedelta(days=1)
    if kind == "month":
        return Period(month_start(today), tomorrow)
    if kind == "3m":
        return Period(month_start(today, 2), tomorrow)
    if kind == "12m":
        return Period(month_start(today, 11), tomorrow)
    if kind == "custom":
        if start is None or end is None:
            raise PeriodError(_("Enter both the first and the last day."))
        if end < start:
            raise PeriodError(_("The last day must be on or after the first."))
        if (end - start).days >= MAX_DAYS:
            raise PeriodError(_("Choose at most three years."))
        return Period(start, end + timedelta(days=1))
    raise PeriodError(_("Choose a period from the list."))


def months_in(period: Period) -> list[date]:
    """The first day of every calendar month the period touches, oldest first."""
    months, month = [], month_start(period.start)
    while month < period.end:
        months.append(month)
        month = month_start(month, -1)
    return months


def as_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
