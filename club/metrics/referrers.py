"""Referrers: per inviting member, invitations, applications and approvals in the period, and how
many of the members they brought in are still members 6 and 12 months after joining."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from club.applications import stats as application_stats
from club.metrics import rules
from club.metrics.periods import Period
from club.metrics.tables import Family, Table


def family(period: Period, now: datetime) -> Family:
    rows = application_stats.referrer_rows(period.starts_at, period.ends_at, now - timedelta(days=183),
                                           now - timedelta(days=365))
    table = Table("referrers", _l("Referrers"),
                  [_l("Member"), _l("Invitations"), _l("Applications"), _l("Approvals"), _l("Still members after 6 months"),
                   _l("Still members after 12 months")],
                  [[r["name"], r["invitations"], r["applications"], r["approvals"],
                    rules.rate(r["still_6m"], r["joined_6m_ago"]), rules.rate(r["still_12m"], r["joined_12m_ago"])]
                   for r in rows if r["invitations"] or r["joined_6m_ago"]],
                  percent_columns={4, 5},
                  note=_l("Invitations, applications and approvals count the invitations sent in the period. "
                          "“Still members”: of everyone they brought in who joined at least 6 (12) months ago, "
                          "the share with access today."))
    return Family("referrers", _l("Referrers"), [table])
