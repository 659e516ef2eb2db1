"""The seat count's guards in the database and the booking path's cost (issue 13): seats are taken
and given back relatively (``seats_taken = seats_taken + n``) and refused in SQL past the capacity,
so a stale count in Python can neither overbook nor lose seats; a booking request sends the same
few statements however full the club is."""
from sqlalchemy import text

from club.events import booking, rules
from club.extensions import db
from club.models.events import Booking, Event
from tests.events.factories import make_event, seat
from tests.factories import count_queries, login, make_member


def _seats_in_database(event_id):
    db.session.commit()
    return db.session.scalar(text("SELECT seats_taken FROM events WHERE id = :id"), {"id": event_id})


def _write_elsewhere(event_id, seats_taken):
    """Another writer changes the count behind this session's back (its own connection)."""
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE events SET seats_taken = :n WHERE id = :id"), {"n": seats_taken, "id": event_id})


def test_seats_are_added_to_the_count_in_the_database_not_written_from_a_stale_copy(ctx):
    event = make_event(capacity=10)
    stale = db.session.get(Event, event.id)
    assert stale.seats_taken == 0
    _write_elsewhere(event.id, 6)  # this session still believes 0
    assert booking.change_seats(stale, 2) is True
    assert stale.seats_taken == 8  # the count as written, not 0 + 2
    assert _seats_in_database(event.id) == 8


def test_the_database_refuses_seats_past_the_capacity_or_below_zero(ctx):
    event = make_event(capacity=10)
    _write_elsewhere(event.id, 9)
    stale = db.session.get(Event, event.id, populate_existing=True)
    assert booking.change_seats(stale, 2) is False
    assert booking.change_seats(stale, -10) is False
    assert _seats_in_database(event.id) == 9
    assert booking.change_seats(stale, 1) is True and _seats_in_database(event.id) == 10


def test_a_rule_that_wrongly_says_yes_on_a_full_event_still_cannot_overbook(ctx, monkeypatch):
    event = make_event(capacity=2, max_guests=1)
    seat(event, make_member(), guests=1)
    monkeypatch.setattr(rules, "placement", lambda *_a, **_k: rules.CONFIRMED)
    late = make_member()
    result = booking.book(late, event.id, 0)
    assert result.outcome == "waitlisted"
    assert _seats_in_database(event.id) == 2
    assert db.session.scalars(db.select(Booking.state).where(Booking.user_id == late.id)).one() == "waitlisted"


def test_cancelling_gives_the_seats_back_relatively_and_promotes(ctx):
    event = make_event(capacity=3, max_guests=1, cutoff=0)
    holder, waiting = make_member(), make_member()
    seat(event, holder, guests=1)
    seat(event, make_member())
    assert booking.book(waiting, event.id, 1).outcome == "waitlisted"
    booking.cancel_booking(holder, event.id)
    assert _seats_in_database(event.id) == 3  # 3 - 2 given back + 2 promoted
    states = dict(db.session.execute(db.select(Booking.user_id, Booking.state).where(Booking.event_id == event.id)).all())
    assert states[holder.id] == "cancelled" and states[waiting.id] == "confirmed"


def _statements_of_a_booking(client, event_id):
    client.get(f"/events/{event_id}")  # signed in and past the gates: only the booking is counted
    with count_queries() as counted:
        answer = client.post(f"/events/{event_id}/book", data={"guests": "0"})
    assert answer.status_code == 302
    return counted["n"]


def test_a_booking_request_sends_the_same_few_statements_however_full_the_club_is(client, ctx):
    member = make_member()
    login(client, member)
    quiet = make_event(capacity=40)
    small = _statements_of_a_booking(client, quiet.id)

    busy = make_event(capacity=40, title="Busy supper")
    for _ in range(25):
        seat(busy, make_member(), commit=False)
    for n in range(5):
        seat(make_event(title=f"Other {n}", commit=False), member, commit=False)
    db.session.commit()
    large = _statements_of_a_booking(client, busy.id)

    assert small == large
    # Signed-in person and gates (3), lock + booking + access + ballot (3-4), the booking, the
    # seats, the settings and the mail (4): never the event's other bookings, never a reload.
    assert large <= 13
