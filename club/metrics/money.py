"""Money: MRR and ARR today, money received, initiation fees, failed payments and how many were
recovered within the grace period."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from club.billing import stats as billing_stats
from club.metrics import rules
from club.metrics.periods import Period
from club.metrics.tables import Family, Table


def recovered_in_grace(failures: list[tuple[datetime, str, datetime | None]]) -> int:
    """Failed payments followed by a payment recorded on or before the grace period's last day."""
    count = 0
    for _failed_at, grace_last_day, paid_at in failures:
        if paid_at is None:
            continue
        try:
            last_day = date.fromisoformat(grace_last_day)
        except ValueError:  # no grace period was recorded: any later payment recovers it
            count += 1
            continue
        if paid_at.date() <= last_day:
            count += 1
    return count


def family(period: Period, previous: Period) -> Family:
    monthly, annual = billing_stats.recurring_fees_cents()
    mrr = rules.mrr_cents(monthly, annual)
    recurring = Table("money_recurring", _l("Recurring revenue, today"), [_l("Figure"), _l("Amount")], [
        [_l("MRR"), mrr], [_l("ARR"), rules.arr_cents(mrr)],
        [_l("Monthly fees"), monthly], [_l("Annual fees (counted as 1/12 in MRR)"), annual],
    ], money_columns={1},
        note=_l("Paying memberships with access now, at their plan's price; complimentary ones are not counted."))
    now, before = billing_stats.received(period.start, period.end), billing_stats.received(previous.start, previous.end)
    fees_now = billing_stats.initiation_fees(period.starts_at, period.ends_at)
    fees_before = billing_stats.initiation_fees(previous.starts_at, previous.ends_at)
    failed_now = billing_stats.failed_payments(period.starts_at, period.ends_at)
    failed_before = billing_stats.failed_payments(previous.starts_at, previous.ends_at)
    received = Table("money_received", _l("Money received"), [_l("Figure"), _l("This period"), _l("Previous period")], [
        [_l("Received"), now["received_cents"], before["received_cents"]],
        [_l("of which offline"), now["offline_cents"], before["offline_cents"]],
        [_l("Initiation fees collected"), fees_now[1], fees_before[1]],
        [_l("Payments"), now["payments"], before["payments"]],
        [_l("New members who paid an initiation fee"), fees_now[0], fees_before[0]],
        [_l("Failed payments"), len(failed_now), len(failed_before)],
        [_l("Recovered within the grace period"), recovered_in_grace(failed_now), recovered_in_grace(failed_before)],
        [_l("Recovery rate"), rules.rate(recovered_in_grace(failed_now), len(failed_now)),
         rules.rate(recovered_in_grace(failed_before), len(failed_before))],
    ], money_rows={0, 1, 2}, percent_rows={7})
    return Family("money", _l("Money"), [recurring, received])
