"""Booking, guests, the waitlist and its promotions, the cut-off, release when access is lost; and
the member's upcoming bookings and booking counts that other features call."""
from datetime import timedelta

import pytest

from club.events import booking, errors, manage
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.membership.changes import change_membership_state
from club.models.club import AuditEntry
from club.models.events import Booking, Event
from tests.events.factories import make_event, seat
from tests.factories import login, make_curator, make_member


def _state(event_id, user):
    db.session.commit()
    return db.session.scalars(db.select(Booking).where(Booking.event_id == event_id,
                                                       Booking.user_id == user.id)).one().state


def _seats(event_id):
    db.session.commit()
    return db.session.get(Event, event_id, populate_existing=True).seats_taken


def test_a_member_books_a_seat_with_guests_and_is_mailed(client, ctx, outbox):
    member = make_member()
    event = make_event(capacity=10, max_guests=2)
    login(client, member)
    r = client.post(f"/events/{event.id}/book", data={"guests": "2"})
    assert r.status_code == 302
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "You are booked" in page and "with 2 guests" in page
    assert _seats(event.id) == 3
    mail = outbox.to(member.email)
    assert len(mail) == 1 and "Booked: Supper" in mail[0]["Subject"]


@pytest.mark.parametrize("guests", ["3", "-1", "two", ""])
def test_guests_outside_the_allowance_reshow_the_page_with_the_error_at_the_field(client, ctx, guests):
    member = make_member()
    event = make_event(max_guests=2)
    login(client, member)
    r = client.post(f"/events/{event.id}/book", data={"guests": guests})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'id="guests-error"' in body or "guests-error" in body
    assert _seats(event.id) == 0 and db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 0


def test_events_without_guests_refuse_a_guest(ctx):
    member = make_member()
    event = make_event(max_guests=0)
    with pytest.raises(errors.EventError) as exc:
        booking.book(member, event.id, 1)
    assert exc.value.field == "guests" and "without guests" in str(exc.value)


def test_booking_twice_keeps_one_booking(client, ctx):
    member = make_member()
    event = make_event()
    login(client, member)
    client.post(f"/events/{event.id}/book", data={"guests": "1"})
    r = client.post(f"/events/{event.id}/book", data={"guests": "1"}, follow_redirects=True)
    assert "already have a booking" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 1
    assert _seats(event.id) == 2


def test_a_full_event_puts_the_party_on_the_waitlist(client, ctx):
    first, second = make_member(), make_member()
    event = make_event(capacity=2, max_guests=1)
    seat(event, first, guests=1)
    login(client, second)
    r = client.post(f"/events/{event.id}/book", data={"guests": "0"}, follow_redirects=True)
    body = r.get_data(as_text=True)
    assert "on the waitlist" in body and "number 1 on the waitlist" in body
    assert _state(event.id, second) == "waitlisted" and _seats(event.id) == 2


def test_cancelling_before_the_cut_off_frees_the_seats_and_promotes_the_first_waiting(client, ctx, outbox):
    booked, waiting1, waiting2 = make_member(), make_member(), make_member()
    event = make_event(capacity=1, cutoff=24)
    seat(event, booked)
    booking.book(waiting1, event.id, 0)
    booking.book(waiting2, event.id, 0)
    login(client, booked)
    r = client.post(f"/events/{event.id}/cancel", follow_redirects=True)
    assert "Your booking is cancelled" in r.get_data(as_text=True)
    assert _state(event.id, booked) == "cancelled"
    assert _state(event.id, waiting1) == "confirmed" and _state(event.id, waiting2) == "waitlisted"
    assert _seats(event.id) == 1
    promoted = outbox.to(waiting1.email)
    assert len(promoted) == 1 and "A seat is yours" in promoted[0]["Subject"]
    assert "/events/%d" % event.id in promoted[0].get_content()
    assert outbox.to(waiting2.email) == []


def test_after_the_cut_off_cancelling_is_refused_clearly(client, ctx):
    member = make_member()
    event = make_event(starts_in=timedelta(hours=10), cutoff=24)
    seat(event, member)
    login(client, member)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Cancellation closed" in page and "Cancel my booking" not in page
    r = client.post(f"/events/{event.id}/cancel", follow_redirects=True)
    assert "Cancellation closed 24 hours before the start" in r.get_data(as_text=True)
    assert _state(event.id, member) == "confirmed" and _seats(event.id) == 1


def test_a_waitlist_place_can_be_given_up_after_the_cut_off(ctx):
    booked, waiting = make_member(), make_member()
    event = make_event(capacity=1, starts_in=timedelta(hours=3), cutoff=24)
    seat(event, booked)
    booking.book(waiting, event.id, 0)
    booking.cancel_booking(waiting, event.id)
    assert _state(event.id, waiting) == "cancelled" and _seats(event.id) == 1


def test_promotion_takes_the_first_waiting_party_that_fits(ctx, outbox):
    """Seats: 4. Booked: A(2) B(2). Waiting in order: C(3), D(1), E(2). B cancels (2 free):
    C does not fit, D does (1 left), E does not; then A cancels (3 free): C fits first."""
    a, b, c, d, e = (make_member() for _ in range(5))
    event = make_event(capacity=4, max_guests=2)
    for member, guests in ((a, 1), (b, 1), (c, 2), (d, 0), (e, 1)):
        booking.book(member, event.id, guests)
    assert [_state(event.id, m) for m in (a, b, c, d, e)] == ["confirmed", "confirmed", "waitlisted", "waitlisted",
                                                             "waitlisted"]
    booking.cancel_booking(b, event.id)
    assert [_state(event.id, m) for m in (c, d, e)] == ["waitlisted", "confirmed", "waitlisted"]
    assert _seats(event.id) == 3
    booking.cancel_booking(a, event.id)
    assert [_state(event.id, m) for m in (c, e)] == ["confirmed", "waitlisted"]
    assert _seats(event.id) == 4
    # Waiting parties get one mail: when their seat comes.
    assert len(outbox.to(c.email)) == 1 and len(outbox.to(d.email)) == 1
    assert len(outbox.to(e.email)) == 0


def test_a_new_party_does_not_take_seats_it_does_not_fit(ctx):
    """One seat left and a pair asks: waitlisted. A single after them still fits the one seat."""
    a, pair, single = make_member(), make_member(), make_member()
    event = make_event(capacity=2, max_guests=1)
    booking.book(a, event.id, 0)
    assert booking.book(pair, event.id, 1).outcome == "fewer"  # asked first, nothing booked
    assert booking.book(pair, event.id, 1, wait_with_all=True).outcome == "waitlisted"
    assert booking.book(single, event.id, 0).outcome == "confirmed"
    assert _seats(event.id) == 2


def test_booking_again_after_cancelling_reuses_the_booking_and_queues_afresh(ctx):
    member, other = make_member(), make_member()
    event = make_event(capacity=1)
    booking.book(member, event.id, 0)
    booking.cancel_booking(member, event.id)
    booking.book(other, event.id, 0)
    assert booking.book(member, event.id, 0).outcome == "waitlisted"
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking).where(Booking.user_id == member.id)) == 1


def test_no_booking_for_past_or_called_off_events_nor_for_staff_without_membership(ctx):
    member, curator = make_member(), make_curator()
    past = make_event(starts_in=timedelta(hours=-1))
    with pytest.raises(errors.EventError, match="already begun"):
        booking.book(member, past.id, 0)
    event = make_event()
    manage.call_off_event(curator, event.id)
    with pytest.raises(errors.EventError, match="called off"):
        booking.book(member, event.id, 0)
    with pytest.raises(errors.EventError, match="for members"):
        booking.book(curator, make_event().id, 0)


@pytest.mark.parametrize("new_state", [states.LAPSED, states.ENDED, states.SUSPENDED])
def test_losing_access_releases_future_bookings_and_promotes_the_waitlist(ctx, outbox, new_state):
    leaving, waiting, other = make_member(), make_member(), make_member()
    soon = make_event(capacity=1)
    later = make_event(capacity=5)
    past = make_event(starts_in=timedelta(days=-2))
    booking.book(leaving, soon.id, 0)
    booking.book(waiting, soon.id, 0)
    booking.book(leaving, later.id, 2)
    seat(past, leaving)
    change_membership_state(membership_of(leaving), new_state, reason="test")
    db.session.commit()
    assert _state(soon.id, leaving) == "released" and _state(later.id, leaving) == "released"
    assert _state(past.id, leaving) == "confirmed"  # history stays
    assert _state(soon.id, waiting) == "confirmed" and _seats(soon.id) == 1 and _seats(later.id) == 0
    assert len(outbox.to(waiting.email)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "event.booking_released")) == 2
    assert other.id not in {b.user_id for b in db.session.scalars(db.select(Booking))}


def test_moves_that_keep_access_release_nothing(ctx):
    member = make_member()
    event = make_event()
    booking.book(member, event.id, 0)
    change_membership_state(membership_of(member), states.PAST_DUE, reason="card failed")
    db.session.commit()
    assert _state(event.id, member) == "confirmed"


def test_a_released_change_rolls_back_with_the_membership_change(ctx):
    member = make_member()
    event = make_event()
    booking.book(member, event.id, 0)
    change_membership_state(membership_of(member), states.LAPSED, reason="test")
    db.session.rollback()
    assert _state(event.id, member) == "confirmed" and _seats(event.id) == 1


def test_upcoming_bookings_for_lists_confirmed_and_waiting_soonest_first(ctx):
    member, other = make_member(), make_member()
    later = make_event("Later", starts_in=timedelta(days=9))
    sooner = make_event("Sooner", starts_in=timedelta(days=2), capacity=1)
    seat(sooner, other)
    past = make_event("Past", starts_in=timedelta(days=-1))
    seat(past, member)
    booking.book(member, later.id, 0)
    booking.book(member, sooner.id, 0)
    bookings = booking.upcoming_bookings_for(member)
    assert [(b.event.title, b.state) for b in bookings] == [("Sooner", "waitlisted"), ("Later", "confirmed")]
    assert [b.event.title for b in booking.upcoming_bookings_for(member, limit=1)] == ["Sooner"]


def test_upcoming_booking_counts_in_one_query(ctx):
    from tests.events.test_listing import count_queries

    a, b, c = make_member(), make_member(), make_member()
    e1, e2 = make_event(), make_event()
    booking.book(a, e1.id, 0)
    booking.book(a, e2.id, 0)
    booking.book(b, e1.id, 0)
    ids = [a.id, b.id, c.id]
    with count_queries() as counter:
        counts = booking.upcoming_booking_counts(ids)
    assert counts == dict(zip(ids, [2, 1, 0])) and counter["n"] == 1
