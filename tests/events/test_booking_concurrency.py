"""Many members at the same instant: the database, not Python, keeps the seat count right.

Each thread has its own app context (so its own session and connection), and all of them wait on
a barrier so their transactions start together. Runs on SQLite (a file database, WAL, BEGIN
IMMEDIATE) and, with TEST_DATABASE_URL, on PostgreSQL (SELECT … FOR UPDATE)."""
from __future__ import annotations

import threading

from club.events import booking
from club.extensions import db
from club.models.user import User
from club.models.events import Booking, Event
from tests.events.factories import make_event, seat
from tests.factories import make_member


def run_together(app, calls):
    """Run ``calls`` (functions of a User, with the user's id) at once; results and errors per call."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def worker(i, user_id, fn):
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                db.session.rollback()  # start from a clean slate: the barrier is the starting line
                barrier.wait(timeout=60)
                results[i] = fn(user)
            except Exception as exc:  # noqa: BLE001 - collected and asserted on below
                errors[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, uid, fn)) for i, (uid, fn) in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


def _bookings(event_id):
    db.session.commit()
    return list(db.session.scalars(db.select(Booking).where(Booking.event_id == event_id)
                                   .order_by(Booking.queued_at, Booking.id)))


def _assert_consistent(event_id):
    db.session.commit()
    event = db.session.get(Event, event_id, populate_existing=True)
    bookings = _bookings(event_id)
    confirmed = [b for b in bookings if b.state == "confirmed"]
    waiting = [b for b in bookings if b.state == "waitlisted"]
    assert event.seats_taken == sum(b.party_size for b in confirmed) <= event.capacity
    # Nobody is left waiting for seats that are free and would fit them.
    assert all(b.party_size > event.capacity - event.seats_taken for b in waiting)
    return event, confirmed, waiting


def test_fifty_members_race_for_ten_seats(app, ctx):
    event = make_event(capacity=10, max_guests=2)
    # Every third member brings a guest, every seventh two; most come alone.
    members = [(make_member().id, 2 if n % 7 == 3 else 1 if n % 3 == 1 else 0) for n in range(50)]
    event_id = event.id
    results, errors = run_together(app, [(uid, lambda user, g=guests: booking.book(user, event_id, g,
                                                                          wait_with_all=True))
                                         for uid, guests in members])

    assert errors == [None] * 50, f"errors shown to members: {[e for e in errors if e]}"
    assert sorted({r.outcome for r in results}) == ["confirmed", "waitlisted"]
    event, confirmed, waiting = _assert_consistent(event_id)
    assert event.seats_taken == 10  # exactly the seats there were: some single was turned away only when full
    assert len(confirmed) + len(waiting) == 50
    assert sum(1 for r in results if r.outcome == "confirmed") == len(confirmed)
    # First come, first served: the queue order is the order the transactions ran in (ids are
    # handed out under the lock), and a single waiting member came after every confirmed booking.
    assert [b.id for b in waiting] == sorted(b.id for b in waiting)
    first_single_waiting = min(b.id for b in waiting if b.party_size == 1)
    assert first_single_waiting > max(b.id for b in confirmed)


def test_cancellations_and_bookings_at_the_same_time_keep_the_count_right(app, ctx):
    event = make_event(capacity=10, max_guests=1, cutoff=0)
    holders = [make_member() for _ in range(10)]
    for m in holders:
        seat(event, m)
    early_waiting = [make_member() for _ in range(3)]
    event_id = event.id
    for m in early_waiting:
        booking.book(m, event_id, 1)  # parties of two
    newcomers = [make_member().id for _ in range(12)]
    calls = [(m.id, lambda user: booking.cancel_booking(user, event_id)) for m in holders[:6]]
    calls += [(uid, lambda user: booking.book(user, event_id, 0)) for uid in newcomers]
    results, errors = run_together(app, calls)

    assert errors == [None] * len(calls), [e for e in errors if e]
    event, confirmed, waiting = _assert_consistent(event_id)
    assert event.seats_taken == 10
    assert {b.user_id for b in confirmed} >= {m.id for m in holders[6:]}
    assert len([b for b in _bookings(event_id) if b.state == "cancelled"]) == 6


def test_the_same_member_booking_twice_at_once_gets_one_booking(app, ctx):
    member = make_member()
    event = make_event(capacity=5)
    event_id = event.id
    results, errors = run_together(app, [(member.id, lambda user: booking.book(user, event_id, 0))] * 8)
    assert errors == [None] * 8
    assert sorted(r.outcome for r in results) == ["already"] * 7 + ["confirmed"]
    event, confirmed, _ = _assert_consistent(event_id)
    assert len(confirmed) == 1 and event.seats_taken == 1
