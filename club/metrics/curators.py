"""Curators: the members each looks after against their capacity, the requests they answer, and
their members at risk. Requests and members at risk belong to the member portal, which hands them
in through ``club.metrics.providers``."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from club.curation import stats as curation_stats
from club.metrics import providers, rules
from club.metrics.tables import Chart, Family, Table

NO_CURATOR = _l("No current curator")


def family(requests_now: list[dict] | None = None, requests_before: list[dict] | None = None,
           now: datetime | None = None) -> Family:
    loads = curation_stats.curator_loads()
    load = Table("curators_load", _l("Members per curator, today"),
                 [_l("Curator"), _l("Members"), _l("Capacity"), _l("Load")],
                 [[r["name"], r["members"], r["capacity"], rules.rate(r["members"], r["capacity"])] for r in loads],
                 chart=Chart("bars", 0, 3, percent=True), percent_columns={3},
                 note=_l("Members awaiting payment, active, past due or ending count; "
                         "a load over 100% is over capacity."))
    tables = [load]
    if providers.has(providers.OPEN_REQUESTS, providers.REQUESTS_OPENED):
        tables.append(requests_table(loads, providers.rows(providers.OPEN_REQUESTS), requests_now or [],
                                     requests_before or []))
    if now is not None and providers.has(providers.AT_RISK):
        tables.append(at_risk_table(loads, providers.rows(providers.AT_RISK, now)))
    return Family("curators", _l("Curators"), tables)


def _key(curator_id: int | None, known: set[int]) -> int | None:
    """Whose row a figure goes in: a current curator's, or the shared "no current curator" row."""
    return curator_id if curator_id in known else None


def hours_to_answer(rows: list[dict]) -> list[float | None]:
    days = (rules.days_between(r["opened_at"], r["answered_at"]) for r in rows)
    return [d * 24 if d is not None else None for d in days]


def requests_table(loads: list[dict], open_rows: list[dict], now_rows: list[dict], before_rows: list[dict]) -> Table:
    known = {r["curator_id"] for r in loads}
    open_now: dict[int | None, list[int]] = {}
    for r in open_rows:
        counts = open_now.setdefault(_key(r["curator_id"], known), [0, 0])
        counts[0] += r["open"]
        counts[1] += r["waiting"]
    opened: dict[int | None, list[dict]] = {}
    before: dict[int | None, list[dict]] = {}
    for source, target in ((now_rows, opened), (before_rows, before)):
        for r in source:
            target.setdefault(_key(r["curator_id"], known), []).append(r)
    people = [(r["curator_id"], r["name"]) for r in loads]
    if None in open_now or None in opened or None in before:
        people.append((None, NO_CURATOR))
    rows = []
    for curator_id, name in people:
        counts = open_now.get(curator_id, [0, 0])
        mine = opened.get(curator_id, [])
        rows.append([name, counts[0], counts[1], len(mine), rules.median(hours_to_answer(mine)),
                     rules.median(hours_to_answer(before.get(curator_id, [])))])
    everyone = [0, 0]
    for counts in open_now.values():
        everyone = [everyone[0] + counts[0], everyone[1] + counts[1]]
    rows.append([lazy_pgettext("every curator", "All curators"), everyone[0], everyone[1], len(now_rows),
                 rules.median(hours_to_answer(now_rows)), rules.median(hours_to_answer(before_rows))])
    return Table("curators_requests", _l("Requests per curator"),
                 [_l("Curator"), _l("Open today"), _l("Awaiting an answer today"), _l("Opened in the period"),
                  _l("Median hours to the first answer"), _l("Median hours, previous period")], rows,
                 note=_l("A request belongs to the member's current curator. Open: not yet marked done; awaiting "
                         "an answer: the member wrote last. The first answer is the first word from the club's "
                         "side, for requests opened in the period; unanswered ones are left out of the median."))


def at_risk_table(loads: list[dict], at_risk_rows: list[dict]) -> Table:
    known = {r["curator_id"] for r in loads}
    found: dict[int | None, int] = {}
    for r in at_risk_rows:
        key = _key(r["curator_id"], known)
        found[key] = found.get(key, 0) + r["at_risk"]
    rows = [[r["name"], r["members"], found.get(r["curator_id"], 0), rules.rate(found.get(r["curator_id"], 0),
                                                                               r["members"])] for r in loads]
    if found.get(None):
        rows.append([NO_CURATOR, None, found[None], None])
    return Table("curators_at_risk", _l("Members at risk per curator, today"),
                 [_l("Curator"), _l("Members"), _l("At risk"), _l("Share at risk")], rows,
                 chart=Chart("bars", 0, 2), percent_columns={3},
                 note=_l("Members with a warning sign their curator has not yet marked handled, as on the "
                         "curators' at-risk lists; the share is of the members each looks after."))
