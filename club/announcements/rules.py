"""The club's voice, as plain rules: who may post and change an announcement, which announcements
home shows first, and when the monthly programme goes out. No database, no request."""
from __future__ import annotations

import calendar
from datetime import date


def may_post(*, is_admin: bool, is_curator: bool) -> bool:
    """Admins and curators speak for the club; members (and anyone else) do not."""
    return is_admin or is_curator


def may_change(*, is_admin: bool, is_curator: bool, actor_id: int, author_id: int | None) -> bool:
    """Edit or remove: admins any announcement, curators their own only."""
    if is_admin:
        return True
    return is_curator and author_id is not None and author_id == actor_id


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def programme_month_due(today: date, send_day: int) -> date | None:
    """The month whose programme goes out today (its first day), or None before the sending day.

    From ``send_day`` of a month on (the last day when the month is shorter), the coming month's
    programme is due; a run missed on that day catches up on the next, until the month ends.
    """
    last = calendar.monthrange(today.year, today.month)[1]
    day = min(max(1, int(send_day)), last)
    return next_month(today) if today.day >= day else None


def interests_first(events, interests) -> tuple[list, list]:
    """Split events (each with ``tags`` named ``name``) into those sharing one of the member's
    interests and the rest, each in the order given. Interests match whatever their case."""
    wanted = {str(i).casefold() for i in interests or ()}
    matching, others = [], []
    for event in events:
        shares = any(tag.name.casefold() in wanted for tag in event.tags)
        (matching if shares else others).append(event)
    return matching, others
