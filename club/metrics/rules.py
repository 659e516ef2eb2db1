"""The arithmetic of the figures: rates, medians, churn, MRR. Pure rules, tested with tables."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime


def rate(part: int | float, whole: int | float) -> float | None:
    """``part / whole`` as a share (0–1) rounded to 4 places; None when there is no whole."""
    if not whole:
        return None
    return round(part / whole, 4)


def median(values: Iterable[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    mid = len(ordered) // 2
    value = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return round(value, 1)


def days_between(earlier: datetime | None, later: datetime | None) -> float | None:
    """Days (with fractions) from one moment to a later one; None when either is missing."""
    if earlier is None or later is None:
        return None
    if earlier.tzinfo is None and later.tzinfo is not None:
        later = later.replace(tzinfo=None)
    elif later.tzinfo is None and earlier.tzinfo is not None:
        earlier = earlier.replace(tzinfo=None)
    return (later - earlier).total_seconds() / 86400


def churn_rate(left: int, members_at_start: int) -> float | None:
    """Monthly churn: members who left in the month ÷ members at the start of the month."""
    return rate(left, members_at_start)


def mrr_cents(monthly_cents: int, annual_cents: int) -> int:
    """Monthly recurring revenue: monthly fees as they are, annual fees counted as a twelfth."""
    return int(monthly_cents) + round(int(annual_cents) / 12)


def arr_cents(mrr: int) -> int:
    return mrr * 12


def funnel(steps: list[tuple[str, int]]) -> list[dict]:
    """Each step with its count and the share of the step before it that reached it."""
    rows, before = [], None
    for name, count in steps:
        rows.append({"step": name, "count": count, "from_previous": None if before is None else rate(count, before)})
        before = count
    return rows


def change(current: float | None, previous: float | None) -> float | None:
    """How much a figure moved against the previous period, as a share of it."""
    if current is None or previous in (None, 0):
        return None
    return round((current - previous) / previous, 4)
