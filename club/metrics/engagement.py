"""Engagement: the share of members who came to an event lately, and feedback and requests per member."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from club.events import stats as event_stats
from club.membership import stats as membership_stats
from club.metrics import rules
from club.metrics.periods import Period
from club.metrics.tables import Family, Table


def family(period: Period, previous: Period, now: datetime, requests_now: list[dict] | None = None,
           requests_before: list[dict] | None = None) -> Family:
    members_now, members_end, members_before = membership_stats.members_at([now, period.ends_at, previous.ends_at])
    came_30, came_90 = event_stats.attendees_since([now - timedelta(days=30), now - timedelta(days=90)], now)
    feedback_now = event_stats.feedback_given(period.starts_at, period.ends_at)
    feedback_before = event_stats.feedback_given(previous.starts_at, previous.ends_at)
    attendance = Table("engagement_attendance", _l("Members who came to an event"), [_l("Figure"), _l("Share")], [
        [_l("Attended at least one event in the last 30 days"), rules.rate(came_30, members_now)],
        [_l("Attended at least one event in the last 90 days"), rules.rate(came_90, members_now)],
    ], percent_columns={1}, note=lazy_ngettext("Of the %(num)d member today; checked in at the door.",
                                               "Of the %(num)d members today; checked in at the door.", members_now))
    feedback = Table("engagement_feedback", _l("Feedback per member"),
                     [_l("Figure"), _l("This period"), _l("Previous period")], [
        [_l("Ratings given"), feedback_now, feedback_before],
        [_l("Per member"), _per(feedback_now, members_end), _per(feedback_before, members_before)],
    ])
    tables = [attendance, feedback]
    if requests_now is not None and requests_before is not None:
        opened_now, opened_before = len(requests_now), len(requests_before)
        tables.append(Table("engagement_requests", _l("Requests per member"),
                            [_l("Figure"), _l("This period"), _l("Previous period")], [
            [_l("Requests to curators"), opened_now, opened_before],
            [_l("Per member"), _per(opened_now, members_end), _per(opened_before, members_before)],
        ], note=_l("Requests members opened with their curators in the period, per member at the period's end.")))
    return Family("engagement", _l("Engagement"), tables)


def _per(count: int, members: int) -> float | None:
    return round(count / members, 2) if members else None
