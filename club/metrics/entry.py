"""The entry funnel: invited → applied → fully endorsed → decided → approved → paid, for the
invitations sent in the period; decisions by outcome; applications scored per curator."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from club.applications import stats as application_stats
from club.core import settings
from club.curation import stats as curation_stats
from club.metrics import rules
from club.metrics.periods import Period
from club.metrics.tables import Chart, Family, Table

# Who reached each step (a plural in Russian, not an application's state): hence the context.
STEPS = (lazy_pgettext("entry funnel step", "Invited"), lazy_pgettext("entry funnel step", "Applied"),
         lazy_pgettext("entry funnel step", "Fully endorsed"), lazy_pgettext("entry funnel step", "Decided"),
         lazy_pgettext("entry funnel step", "Approved"), lazy_pgettext("entry funnel step", "Paid"))
OUTCOMES = ("approved", "waitlisted", "rejected")
OUTCOME_LABELS = {"approved": _l("Approved"), "waitlisted": _l("Waitlisted"), "rejected": _l("Rejected")}


def funnel_figures(rows: list[dict], required_endorsements: int) -> list[dict]:
    """Counts per step, conversion from the step before, and the median days spent reaching each
    step from the one before (invited→applied, applied→fully endorsed, endorsed→decided, decided→paid)."""
    applied = [r for r in rows if r["applied_at"] is not None]
    endorsed = [r for r in applied if r["endorsements"] >= required_endorsements]
    decided = [r for r in applied if r["decided_at"] is not None]
    approved = [r for r in decided if r["state"] == "approved"]
    paid = [r for r in approved if r["joined_at"] is not None]
    medians = [
        None,
        rules.median(rules.days_between(r["invited_at"], r["applied_at"]) for r in applied),
        rules.median(rules.days_between(r["applied_at"], r["endorsed_at"]) for r in endorsed),
        rules.median(rules.days_between(r["endorsed_at"] or r["applied_at"], r["decided_at"]) for r in decided),
        None,
        rules.median(rules.days_between(r["decided_at"], r["joined_at"]) for r in paid),
    ]
    steps = rules.funnel(list(zip(STEPS, (len(rows), len(applied), len(endorsed), len(decided), len(approved),
                                          len(paid)))))
    for step, days in zip(steps, medians):
        step["median_days"] = days
    return steps


def family(period: Period, previous: Period) -> Family:
    required = int(settings.get("required_endorsements"))
    now = funnel_figures(application_stats.funnel_rows(period.starts_at, period.ends_at), required)
    before = funnel_figures(application_stats.funnel_rows(previous.starts_at, previous.ends_at), required)
    funnel = Table("entry_funnel", _l("Entry funnel (invitations sent in the period)"),
                   [_l("Step"), _l("Count"), _l("From the step before"), _l("Median days in step"),
                    _l("Previous period")],
                   [[s["step"], s["count"], s["from_previous"], s["median_days"], p["count"]]
                    for s, p in zip(now, before)],
                   note=_l("Each invitation sent in the period, followed to where it stands today."),
                   chart=Chart("bars", 0, 1), percent_columns={2})
    decided_now = curation_stats.decisions_by_outcome(period.starts_at, period.ends_at)
    decided_before = curation_stats.decisions_by_outcome(previous.starts_at, previous.ends_at)
    decisions = Table("entry_decisions", _l("Decisions by outcome"),
                      [_l("Outcome"), _l("This period"), _l("Previous period")],
                      [[OUTCOME_LABELS[o], decided_now.get(o, 0), decided_before.get(o, 0)] for o in OUTCOMES],
                      chart=Chart("bars", 0, 1))
    per_curator = Table("entry_per_curator", _l("Applications scored per curator"), [_l("Curator"), _l("Applications")],
                        [[r["name"], r["applications"]]
                         for r in curation_stats.reviews_per_curator(period.starts_at, period.ends_at)],
                        chart=Chart("bars", 0, 1))
    return Family("entry", _l("Entry"), [funnel, decisions, per_curator])
