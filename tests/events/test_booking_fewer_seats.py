"""A party larger than the seats left: nothing is booked silently; the member chooses to come with
fewer guests (or alone), or to wait with the whole party."""
import pytest

from club.events import booking, rules
from club.extensions import db
from club.models.events import Booking, Event
from tests.events.factories import make_event, seat
from tests.factories import login, make_member


@pytest.mark.parametrize("capacity, taken, guests, expected", [
    (10, 9, 1, 0),      # one seat, member + 1 guest: come alone
    (10, 8, 2, 1),      # two seats, member + 2: one guest fits
    (10, 7, 2, None),   # three seats: the party fits
    (10, 10, 2, None),  # full: the waitlist as before
    (10, 9, 0, None),   # alone: fits
    (10, 8, 5, 1),
])
def test_guests_that_fit(capacity, taken, guests, expected):
    assert rules.guests_that_fit(capacity, taken, guests) == expected


def _bookings():
    db.session.commit()
    return db.session.scalars(db.select(Booking)).all()


def test_a_party_too_large_for_the_seats_left_is_offered_to_come_alone(client, ctx, outbox):
    other, member = make_member(), make_member()
    event = make_event(capacity=3, max_guests=2)
    seat(event, other, guests=1)
    login(client, member)
    r = client.post(f"/events/{event.id}/book", data={"guests": "1"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Only 1 seat is left." in page and "Come alone" in page and "Join the waitlist with 1 guest" in page
    assert "The event is full" not in page
    assert len(_bookings()) == 1 and outbox.to(member.email) == []
    # Coming alone takes the last seat.
    r = client.post(f"/events/{event.id}/book", data={"guests": "0"}, follow_redirects=True)
    assert "You are booked" in r.get_data(as_text=True)
    mine = [b for b in _bookings() if b.user_id == member.id]
    assert mine[0].state == "confirmed" and mine[0].guests == 0
    assert db.session.get(Event, event.id, populate_existing=True).seats_taken == 3


def test_the_member_may_wait_with_the_whole_party_instead(client, ctx):
    other, member = make_member(), make_member()
    event = make_event(capacity=3, max_guests=2)
    seat(event, other)
    login(client, member)
    assert "Book with 1 guest" in client.post(f"/events/{event.id}/book", data={"guests": "2"}).get_data(as_text=True)
    r = client.post(f"/events/{event.id}/book", data={"guests": "2", "wait_with_all": "1"}, follow_redirects=True)
    assert "waitlist" in r.get_data(as_text=True)
    mine = [b for b in _bookings() if b.user_id == member.id]
    assert mine[0].state == "waitlisted" and mine[0].guests == 2
    assert db.session.get(Event, event.id, populate_existing=True).seats_taken == 1


def test_the_service_books_nothing_and_says_what_fits(ctx):
    member = make_member()
    event = make_event(capacity=2, max_guests=2)
    result = booking.book(member, event.id, 2)
    assert (result.outcome, result.booking, result.guests_that_fit, result.seats_left) == ("fewer", None, 1, 2)
    assert _bookings() == []
