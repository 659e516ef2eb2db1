"""Events: fill rate, no-show rate, waitlist promotions and ratings, per event and per month."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from club.events import stats as event_stats
from club.metrics import rules
from club.metrics.periods import Period
from club.metrics.tables import Chart, Family, Month, Table


def totals(events: list[dict]) -> dict:
    """The figures of a set of events: fill rate = seats taken ÷ capacity; no-show rate = no-shows ÷
    bookings checked at the door; average rating over all ratings."""
    capacity = sum(e["capacity"] for e in events)
    seats = sum(e["seats_taken"] for e in events)
    checked = sum(e["attended"] + e["no_show"] for e in events)
    no_show = sum(e["no_show"] for e in events)
    ratings = sum(e["ratings"] for e in events)
    rating_sum = sum(e["rating_sum"] for e in events)
    return {"events": len(events), "capacity": capacity, "seats_taken": seats, "fill_rate": rules.rate(seats, capacity),
            "no_show_rate": rules.rate(no_show, checked), "promoted": sum(e["promoted"] for e in events),
            "ratings": ratings, "average_rating": round(rating_sum / ratings, 2) if ratings else None}


def family(period: Period, previous: Period, now: datetime) -> Family:
    events = event_stats.event_rows(period.starts_at, min(period.ends_at, now))
    earlier = event_stats.event_rows(previous.starts_at, min(previous.ends_at, now))
    t, p = totals(events), totals(earlier)
    summary = Table("events_summary", _l("Events that took place"),
                    [_l("Figure"), _l("This period"), _l("Previous period")], [
        [_l("Events"), t["events"], p["events"]],
        [_l("Fill rate (seats taken ÷ capacity)"), t["fill_rate"], p["fill_rate"]],
        [_l("No-show rate (of those checked at the door)"), t["no_show_rate"], p["no_show_rate"]],
        [_l("Waitlist promotions"), t["promoted"], p["promoted"]],
        [_l("Ratings"), t["ratings"], p["ratings"]],
        [_l("Average rating (1–5)"), t["average_rating"], p["average_rating"]],
    ], percent_rows={1, 2})
    by_month: dict[Month, list[dict]] = {}
    for e in events:
        by_month.setdefault(Month.of(e["starts_at"]), []).append(e)
    monthly = Table("events_by_month", _l("Events per month"),
                    [_l("Month"), _l("Events"), _l("Fill rate"), _l("No-show rate"), _l("Promotions"), _l("Ratings"),
                     _l("Average rating")],
                    [[m, x["events"], x["fill_rate"], x["no_show_rate"], x["promoted"], x["ratings"], x["average_rating"]]
                     for m, x in ((m, totals(es)) for m, es in by_month.items())],
                    chart=Chart("bars", 0, 2, percent=True), percent_columns={2, 3})
    per_event = Table("events_each", _l("Each event"),
                      [_l("Event"), _l("Date"), _l("Capacity"), _l("Seats taken"), _l("Fill rate"), _l("Attended"),
                       _l("No-shows"), _l("Promotions"), _l("Ratings"), _l("Average rating")],
                      [[e["title"], e["starts_at"].date(), e["capacity"], e["seats_taken"],
                        rules.rate(e["seats_taken"], e["capacity"]), e["attended"], e["no_show"], e["promoted"],
                        e["ratings"], round(e["rating_sum"] / e["ratings"], 2) if e["ratings"] else None]
                       for e in events], percent_columns={4})
    return Family("events", _l("Events"), [summary, monthly, per_event])
