"""The door list: attendees, check-in at the door, the CSV export."""
from __future__ import annotations

import csv
import io

from club.events import booking
from club.extensions import db
from club.models.events import Booking
from tests.events.factories import make_event, reload, seat
from tests.factories import login, make_curator, make_member


def test_the_attendee_page_checks_in_and_exports_csv(client, ctx):
    curator = make_curator()
    a = make_member(name="Ada Lovelace")
    b = make_member(name="=HYPERLINK(evil)")
    c = make_member(name="Charles Babbage")
    event = make_event(capacity=2, max_guests=1)
    seat(event, a, guests=1)
    booking.book(c, event.id, 0)
    ba = db.session.scalars(db.select(Booking).where(Booking.user_id == a.id)).one()
    login(client, curator)
    body = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert "Ada Lovelace" in body and "Charles Babbage" in body and "Nobody is waiting" not in body
    r = client.post(f"/events/{event.id}/attendees/{ba.id}", data={"attendance": "attended"})
    assert r.status_code == 302 and reload(ba).attendance == "attended"
    client.post(f"/events/{event.id}/attendees/{ba.id}", data={"attendance": "no_show"})
    assert reload(ba).attendance == "no_show"
    seat(make_event(), b)
    event2 = make_event(capacity=3)
    seat(event2, b)
    rows = list(csv.reader(io.StringIO(client.get(f"/events/{event2.id}/attendees.csv").get_data(as_text=True))))
    assert rows[0][:3] == ["name", "email", "status"] and rows[1][0] == "'=HYPERLINK(evil)"
    rows = list(csv.reader(io.StringIO(client.get(f"/events/{event.id}/attendees.csv").get_data(as_text=True))))
    assert [r[0] for r in rows[1:]] == ["Ada Lovelace", "Charles Babbage"]
    assert rows[1][2:5] == ["confirmed", "1", "2"] and rows[2][2] == "waitlisted"
