"""What home shows of the club's voice: the latest announcements (pinned first), the mission, the
rules in force (a link, with their date) and the evenings still to come this month that the member
may see."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from club.announcements import rules, service
from club.core import settings
from club.core.templating import club_zone, format_local
from club.models.base import utcnow
from club.models.user import User


@dataclass
class ClubVoice:
    mission: str
    month_title: str
    today: date
    announcements: list = field(default_factory=list)
    rules: Any = None  # the RulesVersion in force, or None before the club publishes any
    evenings: list = field(default_factory=list)  # the rest of this month's evenings the member may see


def month_bounds(first: date) -> tuple[datetime, datetime]:
    """[start, end) of the month that begins on ``first``, in UTC, by the club's clock."""
    zone = club_zone()
    start = datetime.combine(first, datetime.min.time(), zone).astimezone(timezone.utc)
    end = datetime.combine(rules.next_month(first), datetime.min.time(), zone).astimezone(timezone.utc)
    return start, end


def voice_for(user: User) -> ClubVoice:
    """For a member with access (home checks that): a fixed number of queries."""
    from club.events.programme import evenings_between

    now = utcnow()
    today = now.astimezone(club_zone()).date()
    first = today.replace(day=1)
    title = format_local(first, "long_month_year")
    _start, end = month_bounds(first)
    return ClubVoice(mission=settings.get("mission"), month_title=title[:1].upper() + title[1:], today=today,
                     announcements=service.latest(), rules=settings.current_rules(),
                     evenings=evenings_between(user, now, end))
