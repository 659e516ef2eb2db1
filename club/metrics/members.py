"""Members and churn: members month by month, joins and leaves, monthly churn, leave reasons,
members by state and by plan."""
from __future__ import annotations

from club.billing import stats as billing_stats
from club.membership import states
from club.membership import stats as membership_stats
from club.membership.counts import counts_by_state
from club.metrics import rules
from club.metrics.periods import Period, as_utc, month_start, months_in
from club.metrics.tables import Chart, Family, Table


def monthly_rows(months: list, at_bounds: list[int], flows: list[tuple[int, int]]) -> list[list]:
    """Per month: members at its start, joined, left, members at its end, churn (left ÷ at start).
    ``at_bounds`` has one more entry than ``months`` (the starts, then the last end)."""
    return [[month.strftime("%Y-%m"), at_bounds[i], flows[i][0], flows[i][1], at_bounds[i + 1],
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
    summary = Table("members_summary", "Members", ["Figure", "This period", "Previous period"], [
        ["Members at the end", at_bounds[-1], at_bounds[0]],
        ["Joined", joined, before[0]],
        ["Left", left, before[1]],
        ["Churn (left ÷ members at the start)", rules.churn_rate(left, at_bounds[0]),
         rules.churn_rate(before[1], at_previous_start)],
    ], percent_rows={3})
    summary.note = "Churn over the whole period; the monthly churn is in the table below."
    over_time = Table("members_by_month", "Members month by month",
                      ["Month", "Members at the start", "Joined", "Left", "Members at the end", "Churn"],
                      monthly, chart=Chart("line", 0, 4), percent_columns={5})
    reasons = Table("members_leave_reasons", "Why members left (from the leaving form)", ["Reason", "Members"],
                    [list(r) for r in membership_stats.leave_reasons(period.starts_at, period.ends_at)],
                    note="Reasons as written, grouped when the words are the same.")
    by_state_counts = counts_by_state()
    by_state = Table("members_by_state", "Memberships by state, today", ["State", "Memberships"],
                     [[states.LABELS[s], by_state_counts.get(s, 0)] for s in states.ALL_STATES],
                     chart=Chart("bars", 0, 1))
    names = billing_stats.plan_names()
    by_plan = Table("members_by_plan", "Members with access by plan, today", ["Plan", "Paid", "Members"],
                    sorted(([names.get(r["plan_id"], "No plan"), _how(r), r["members"]]
                            for r in membership_stats.by_plan()), key=lambda row: (row[0], row[1])),
                    chart=None)
    return Family("members", "Members", [summary, over_time, reasons, by_state, by_plan])


def _how(row: dict) -> str:
    if row["kind"] == "complimentary":
        return "complimentary"
    return row["cadence"] or row["kind"] or "unknown"


__all__ = ["family", "monthly_rows", "month_start"]
