"""All the figures for one period, in the issue's order: what the page, the CSV and the JSON show."""
from __future__ import annotations

from datetime import datetime

from club.metrics import curators, engagement, entry, events, members, money, providers, referrers
from club.metrics.periods import Period
from club.metrics.tables import Family, Table, machine


def build(period: Period, now: datetime) -> list[Family]:
    previous = period.previous()
    requests = _requests(period, previous)
    return [entry.family(period, previous), members.family(period, previous), money.family(period, previous),
            events.family(period, previous, now), curators.family(*requests, now=now), referrers.family(period, now),
            engagement.family(period, previous, now, *requests)]


def _requests(period: Period, previous: Period) -> tuple[list[dict] | None, list[dict] | None]:
    """The requests opened in the period and the one before (curators and engagement both use them)."""
    if not providers.has(providers.REQUESTS_OPENED):
        return None, None
    return (providers.rows(providers.REQUESTS_OPENED, period.starts_at, period.ends_at),
            providers.rows(providers.REQUESTS_OPENED, previous.starts_at, previous.ends_at))


def as_json(period: Period, families: list[Family]) -> dict:
    return {"period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "previous": {"start": period.previous().start.isoformat(), "end": period.previous().end.isoformat()},
            "figures": {f.key: {"title": machine(f.title), "tables": {t.key: t.as_json() for t in f.tables}} for f in families}}


def find_table(families: list[Family], key: str) -> Table | None:
    return next((t for f in families for t in f.tables if t.key == key), None)
