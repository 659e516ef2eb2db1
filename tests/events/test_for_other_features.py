"""The functions other features call: upcoming bookings, recommendations, booking counts."""
from datetime import timedelta

from club.events import service
from tests.events.factories import make_event, seat
from tests.factories import make_curator, make_member


def test_upcoming_bookings_for_lists_confirmed_and_waiting_soonest_first(ctx):
    member, other = make_member(), make_member()
    later = make_event("Later", starts_in=timedelta(days=9))
    sooner = make_event("Sooner", starts_in=timedelta(days=2), capacity=1)
    seat(sooner, other)
    past = make_event("Past", starts_in=timedelta(days=-1))
    seat(past, member)
    service.book(member, later.id, 0)
    service.book(member, sooner.id, 0)
    bookings = service.upcoming_bookings_for(member)
    assert [(b.event.title, b.state) for b in bookings] == [("Sooner", "waitlisted"), ("Later", "confirmed")]
    assert [b.event.title for b in service.upcoming_bookings_for(member, limit=1)] == ["Sooner"]


def test_recommended_events_put_shared_interests_first_and_never_hidden_ones(ctx):
    member = make_member(interests=["wine", "books"])
    stranger = make_member()
    make_event("Soon, sailing", starts_in=timedelta(days=1), tags=["sailing"])
    make_event("Later, wine", starts_in=timedelta(days=5), tags=["wine"])
    make_event("Private wine", starts_in=timedelta(days=2), tags=["wine"], visibility="invite_only",
               invited=[stranger])
    make_event("Draft wine", starts_in=timedelta(days=2), tags=["wine"], state="draft")
    booked = make_event("Booked books", starts_in=timedelta(days=3), tags=["books"])
    service.book(member, booked.id, 0)
    titles = [e.title for e in service.recommended_events_for(member)]
    assert titles == ["Later, wine", "Soon, sailing"]
    assert [e.title for e in service.recommended_events_for(member, limit=1)] == ["Later, wine"]
    assert service.recommended_events_for(make_curator()) == []


def test_upcoming_booking_counts_in_one_query(ctx):
    from tests.events.test_pages import count_queries

    a, b, c = make_member(), make_member(), make_member()
    e1, e2 = make_event(), make_event()
    service.book(a, e1.id, 0)
    service.book(a, e2.id, 0)
    service.book(b, e1.id, 0)
    ids = [a.id, b.id, c.id]
    with count_queries() as counter:
        counts = service.upcoming_booking_counts(ids)
    assert counts == dict(zip(ids, [2, 1, 0])) and counter["n"] == 1
