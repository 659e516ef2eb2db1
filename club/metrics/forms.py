"""The period chooser: reads the query string into a period, or a field error."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from club.metrics.periods import CHOICES, Period, PeriodError, choose


def period_from(args, today: date) -> tuple[Period, dict, str | None]:
    """(period, what the form shows, error). A bad custom period falls back to this month, with the error."""
    kind = args.get("period", "month")
    raw_start, raw_end = args.get("start", ""), args.get("end", "")
    shown = {"period": kind, "start": raw_start, "end": raw_end}
    try:
        start = date.fromisoformat(raw_start) if raw_start else None
        end = date.fromisoformat(raw_end) if raw_end else None
    except ValueError:
        return choose("month", today), shown, _("Enter dates as YYYY-MM-DD.")
    if kind not in dict(CHOICES):
        return choose("month", today), shown, _("Choose a period from the list.")
    try:
        return choose(kind, today, start, end), shown, None
    except PeriodError as exc:
        return choose("month", today), shown, str(exc)
