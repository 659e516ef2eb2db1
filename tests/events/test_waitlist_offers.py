"""Offers of seats from a ballot evening's waitlist (club.events.offers): freed seats are offered
to the first waiting party that fits, held for a time, then passed on when declined or expired;
contention settled in the database. Other evenings keep instant promotion (tests/events/test_booking.py)."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from club.core import settings
from club.events import booking, offers
from club.events.errors import EventError
from club.extensions import db
from club.models.base import utcnow
from club.models.club import AuditEntry
from club.models.events import Event, WaitlistOffer
from club.models.user import User
from tests.events.ballot_factories import booking_of, drawn_evening, offers_of
from tests.factories import login, make_member


def _seats(event_id):
    db.session.commit()
    return db.session.get(Event, event_id, populate_existing=True).seats_taken


def _evening(parties=(0, 0, 0, 0), capacity=2):
    """A drawn ballot evening; returns (event, seated members, waiting members in waitlist order)."""
    event, ballot, members, outcome = drawn_evening(list(parties), capacity=capacity, seed="offers")
    db.session.commit()
    by_entry = {e: m for e, m in zip(sorted(outcome.seated + outcome.waitlist), members)}
    return event, [by_entry[i] for i in outcome.seated], [by_entry[i] for i in outcome.waitlist]


def test_a_freed_seat_is_offered_to_the_first_waiting_party_and_held(client, ctx, outbox):
    event, seated, waiting = _evening()
    assert _seats(event.id) == 2
    booking.cancel_booking(seated[0], event.id)
    [offer] = offers_of(event)
    assert offer.state == "open" and offer.booking_id == booking_of(event, waiting[0]).id and offer.seats == 1
    assert booking_of(event, waiting[0]).state == "waitlisted"  # not confirmed until accepted
    assert _seats(event.id) == 2  # the seat is held
    hours = settings.get("waitlist_offer_hours")
    assert abs((offer.expires_at - utcnow() - timedelta(hours=hours)).total_seconds()) < 60
    [mail] = [m for m in outbox.to(waiting[0].email) if "offered" in m["Subject"]]
    assert f"/events/{event.id}/offers/{offer.id}" in mail.get_content()
    # the held seat is not for a newcomer: they wait behind
    db.session.commit()
    newcomer = make_member()
    assert booking.book(newcomer, event.id, 0).outcome == "waitlisted"
    assert _seats(event.id) == 2


def test_accepting_confirms_the_booking_once(client, ctx, outbox):
    event, seated, waiting = _evening()
    booking.cancel_booking(seated[0], event.id)
    [offer] = offers_of(event)
    login(client, waiting[0])
    page = client.get(f"/events/{event.id}/offers/{offer.id}").get_data(as_text=True)
    assert "Accept the seats" in page
    assert "A seat is offered to you" in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert client.post(f"/events/{event.id}/offers/{offer.id}/accept").status_code == 302
    assert booking_of(event, waiting[0]).state == "confirmed" and offers_of(event)[0].state == "accepted"
    assert _seats(event.id) == 2
    r = client.post(f"/events/{event.id}/offers/{offer.id}/accept", follow_redirects=True)
    assert "no longer open" in r.get_data(as_text=True)
    assert any("Booked" in m["Subject"] for m in outbox.to(waiting[0].email))


def test_declining_passes_the_seat_to_the_next_party(client, ctx):
    event, seated, waiting = _evening()
    booking.cancel_booking(seated[0], event.id)
    [offer] = offers_of(event)
    login(client, waiting[0])
    assert client.post(f"/events/{event.id}/offers/{offer.id}/decline").status_code == 302
    assert booking_of(event, waiting[0]).state == "cancelled"
    first, second = offers_of(event)
    assert first.state == "declined" and second.state == "open"
    assert second.booking_id == booking_of(event, waiting[1]).id and _seats(event.id) == 2
    db.session.commit()
    actions = {a.action for a in db.session.scalars(db.select(AuditEntry))}
    assert {"event.offer_made", "event.offer_declined"} <= actions


def test_an_offer_not_answered_in_time_expires_and_passes_on(ctx, outbox):
    event, seated, waiting = _evening()
    booking.cancel_booking(seated[0], event.id)
    assert offers.expire_offers() == 0  # not yet
    later = utcnow() + timedelta(hours=settings.get("waitlist_offer_hours"), minutes=1)
    assert offers.expire_offers(later) == 1
    assert offers.expire_offers(later) == 0
    assert booking_of(event, waiting[0]).state == "released"
    first, second = offers_of(event)
    assert (first.state, second.state) == ("expired", "open")
    assert any("passed on" in m["Subject"] for m in outbox.to(waiting[0].email))
    assert _seats(event.id) == 2


def test_the_first_party_that_fits_gets_the_offer(ctx):
    # Three seats, five entrants (singles, a party of 3, a pair). With this seed the three singles
    # are seated and the party of 3 heads the waitlist, the pair behind it.
    event, seated, waiting = _evening(parties=(0, 0, 2, 0, 1), capacity=3)
    assert [booking_of(event, m).party_size for m in seated] == [1, 1, 1]
    assert [booking_of(event, m).party_size for m in waiting] == [3, 2]
    booking.cancel_booking(seated[0], event.id)
    assert offers_of(event) == []  # one seat fits nobody waiting: it stays free
    booking.cancel_booking(seated[1], event.id)
    [offer] = offers_of(event)  # two seats: the pair, not the party of 3 ahead of it
    assert offer.booking_id == booking_of(event, waiting[1]).id and offer.seats == 2
    assert _seats(event.id) == 3


def test_leaving_the_waitlist_with_an_open_offer_gives_the_seats_back(ctx):
    event, seated, waiting = _evening()
    booking.cancel_booking(seated[0], event.id)
    booking.cancel_booking(waiting[0], event.id)  # leaves the waitlist while the offer is open
    first, second = offers_of(event)
    assert (first.state, second.state) == ("void", "open") and _seats(event.id) == 2


def test_someone_elses_offer_is_not_found(client, ctx):
    event, seated, waiting = _evening()
    booking.cancel_booking(seated[0], event.id)
    [offer] = offers_of(event)
    login(client, waiting[1])
    assert client.get(f"/events/{event.id}/offers/{offer.id}").status_code == 404
    assert client.post(f"/events/{event.id}/offers/{offer.id}/accept").status_code == 404
    assert client.get(f"/events/{event.id + 1}/offers/{offer.id}").status_code == 404
    assert offers_of(event)[0].state == "open"


def test_an_evening_not_by_ballot_still_promotes_at_once(ctx):
    from tests.events.factories import make_event, seat

    event = make_event(capacity=1)
    holder, waiter = make_member(), make_member()
    seat(event, holder)
    booking.book(waiter, event.id, 0)
    booking.cancel_booking(holder, event.id)
    assert booking_of(event, waiter).state == "confirmed" and offers_of(event) == []


# Contention --------------------------------------------------------------------------------------

def _together(app, calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def worker(i, fn):
        with app.app_context():
            try:
                db.session.rollback()
                barrier.wait(timeout=60)
                results[i] = fn()
            except Exception as exc:  # noqa: BLE001 - asserted on below
                errors[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


def test_an_offer_accepted_twice_at_the_same_instant_books_once(app, ctx):
    event, seated, waiting = _evening()
    booking.cancel_booking(seated[0], event.id)
    [offer] = offers_of(event)
    user_id, event_id, offer_id = waiting[0].id, event.id, offer.id

    def accept():
        return offers.accept_offer(db.session.get(User, user_id), event_id, offer_id).id

    results, errors = _together(app, [accept] * 4)
    assert sum(r is not None for r in results) == 1
    assert all(isinstance(e, EventError) for e in errors if e is not None) and sum(e is not None for e in errors) == 3
    assert booking_of(event, waiting[0]).state == "confirmed" and _seats(event.id) == 2


def test_accept_and_expiry_at_the_same_instant_settle_one_way(app, ctx):
    event, seated, waiting = _evening()
    booking.cancel_booking(seated[0], event.id)
    [offer] = offers_of(event)
    offer.expires_at = utcnow() + timedelta(seconds=2)
    db.session.commit()
    user_id, event_id, offer_id = waiting[0].id, event.id, offer.id
    results, errors = _together(app, [
        lambda: offers.accept_offer(db.session.get(User, user_id), event_id, offer_id).state,
        lambda: offers.expire_offers(utcnow() + timedelta(seconds=3)),
    ])
    db.session.commit()
    state = db.session.get(WaitlistOffer, offer_id, populate_existing=True).state
    assert state in ("accepted", "expired")
    held = booking_of(event, waiting[0]).state
    assert (state, held) in (("accepted", "confirmed"), ("expired", "released"))
    assert _seats(event.id) == 2 and all(e is None or isinstance(e, EventError) for e in errors)


def test_many_cancellations_and_bookings_at_once_never_overbook(app, ctx):
    event, seated, waiting = _evening(parties=(0,) * 8, capacity=4)
    event_id = event.id
    newcomers = [make_member().id for _ in range(4)]
    calls = [lambda uid=m.id: booking.cancel_booking(db.session.get(User, uid), event_id) for m in seated]
    calls += [lambda uid=uid: booking.book(db.session.get(User, uid), event_id, 0) for uid in newcomers]
    _results, errors = _together(app, calls)
    assert errors == [None] * len(calls)
    db.session.commit()
    event = db.session.get(Event, event_id, populate_existing=True)
    open_offers = [o for o in offers_of(event) if o.state == "open"]
    confirmed = [booking_of(event, m) for m in seated + waiting]
    confirmed_seats = sum(b.party_size for b in confirmed if b.state == "confirmed")
    assert event.seats_taken == confirmed_seats + sum(o.seats for o in open_offers) <= event.capacity
    assert len(open_offers) == 4  # the first four waiting, in drawn order
    assert {o.booking_id for o in open_offers} == {booking_of(event, m).id for m in waiting[:4]}


@pytest.mark.parametrize("hours_left, expected_hours", [(100, 24), (5, 5)])
def test_an_offer_never_outlasts_the_start(ctx, hours_left, expected_hours):
    event, seated, waiting = _evening()
    event.starts_at = utcnow() + timedelta(hours=hours_left)
    event.cancel_cutoff_hours = 0
    db.session.commit()
    booking.cancel_booking(seated[0], event.id)
    [offer] = offers_of(event)
    assert abs((offer.expires_at - utcnow()).total_seconds() - expected_hours * 3600) < 120
