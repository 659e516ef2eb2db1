"""Members and churn: members month by month, joins and leaves, monthly churn, leave reasons,
members by state and by plan."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from club.billing import stats as billing_stats
from club.membership import states
from club.membership import stats as membership_stats
from club.membership.counts import counts_by_state
from club.metrics import rules
from club.metrics.periods import Period, as_utc, month_start, months_in
from club.metrics.tables import Chart, Family, Month, Table


def monthly_rows(months: list, at_bounds: list[int], flows: list[tuple[int, int]]) -> list[list]:
    """Per month: members at its start, joined, left, members at its end, churn (left ÷ at start).
    ``at_bounds`` has one more entry than ``months`` (the starts, then the last end)."""
    return [[Month.of(month), at_bounds[i], flows[i][0], flows[i][1], at_bounds[i + 1],
             rules.churn_rate(flows[i][1], at_bounds[i])] for i, month in enumerate(months)]


def family(period: Period, previous: Period) -> Family:
    months = months_in(period)
    bounds = [max(as_utc(m), period.starts_at) for m in months] + [period.ends_at]
    first_of_previous = [previous.starts_at]
    counts = membership_stats.members_at(bounds + first_of_previous)
    at_bounds, at_previous_start = counts[:-1], counts[-1]
    flows = membership_stats.joins_and_leaves([previous.starts_at] + bounds)
    before, flows = flows[0], flows[1:]
    monthly = monthly_rows(months, at_bounds, flows)
    joined, left = sum(f[0] for f in flows), sum(f[1] for f in flows)
    summary = Table("members_summary", _l("Members"), [_l("Figure"), _l("This period"), _l("Previous period")], [
        [_l("Members at the end"), at_bounds[-1], at_bounds[0]],
        [lazy_pgettext("members who joined", "Joined"), joined, before[0]],
        [lazy_pgettext("members who left", "Left"), left, before[1]],
        [_l("Churn (left ÷ members at the start)"), rules.churn_rate(left, at_bounds[0]),
         rules.churn_rate(before[1], at_previous_start)],
    ], percent_rows={3})
    summary.note = _l("Churn over the whole period; the monthly churn is in the table below.")
    over_time = Table("members_by_month", _l("Members month by month"),
                      [_l("Month"), _l("Members at the start"), lazy_pgettext("members who joined", "Joined"),
                       lazy_pgettext("members who left", "Left"), _l("Members at the end"), _l("Churn")],
                      monthly, chart=Chart("line", 0, 4), percent_columns={5})
    reasons = Table("members_leave_reasons", _l("Why members left (from the leaving form)"),
                    [_l("Reason"), _l("Members")],
                    [list(r) for r in membership_stats.leave_reasons(period.starts_at, period.ends_at)],
                    note=_l("Reasons as written, grouped when the words are the same."))
    by_state_counts = counts_by_state()
    by_state = Table("members_by_state", _l("Memberships by state, today"), [_l("State"), _l("Memberships")],
                     [[states.label(s), by_state_counts.get(s, 0)] for s in states.ALL_STATES],
                     chart=Chart("bars", 0, 1))
    names = billing_stats.plan_names()
    by_plan = Table("members_by_plan", _l("Members with access by plan, today"),
                    [_l("Plan"), lazy_pgettext("how a membership is paid", "Paid"), _l("Members")],
                    sorted(([names.get(r["plan_id"], _l("No plan")), _how(r), r["members"]]
                            for r in membership_stats.by_plan()), key=lambda row: (str(row[0]), str(row[1]))),
                    chart=None)
    return Family("members", _l("Members"), [summary, over_time, reasons, by_state, by_plan])


# How a membership is paid, as the page names it (the codes stay in the CSV and the JSON as English words).
PAID_HOW = {"complimentary": _l("complimentary"), "monthly": _l("monthly"), "annual": _l("annual"),
            "offline": _l("offline"), "stripe": _l("stripe"), "unknown": _l("unknown")}


def _how(row: dict):
    if row["kind"] == "complimentary":
        code = "complimentary"
    else:
        code = row["cadence"] or row["kind"] or "unknown"
    return PAID_HOW.get(code, code)


__all__ = ["family", "monthly_rows", "month_start"]
