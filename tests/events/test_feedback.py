"""Feedback only from attendees, only once the event is over, and only once."""
from datetime import timedelta

import pytest

from club.events import door, errors, feedback, listing, mailings
from club.extensions import db
from club.models.events import Booking, EventFeedback
from tests.events.factories import make_event, seat
from tests.factories import login, make_curator, make_member


def test_feedback_only_from_attendees_and_only_once(client, ctx):
    curator = make_curator()
    came, no_show, outsider = make_member(), make_member(), make_member()
    event = make_event("Past evening", starts_in=timedelta(hours=-4), hours=2)
    seat(event, came)
    b2 = seat(event, no_show)
    b1 = db.session.scalars(db.select(Booking).where(Booking.user_id == came.id)).one()
    door.check_in(curator, event.id, b1.id, "attended")
    door.check_in(curator, event.id, b2.id, "no_show")

    login(client, came)
    assert client.get(f"/events/{event.id}/feedback").status_code == 200
    r = client.post(f"/events/{event.id}/feedback", data={"rating": "9"})
    assert r.status_code == 400 and "rating-error" in r.get_data(as_text=True)
    r = client.post(f"/events/{event.id}/feedback", data={"rating": "4", "comment": "Lovely wine."})
    assert r.status_code == 302
    r = client.post(f"/events/{event.id}/feedback", data={"rating": "1", "comment": "Again"}, follow_redirects=True)
    assert "already shared" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(EventFeedback)) == 1
    client.post("/logout")

    for person in (no_show, outsider):
        login(client, person)
        assert client.get(f"/events/{event.id}/feedback").status_code == 403
        client.post(f"/events/{event.id}/feedback", data={"rating": "5"})
        client.post("/logout")
    assert db.session.scalar(db.select(db.func.count()).select_from(EventFeedback)) == 1

    login(client, curator)
    body = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert "Lovely wine." in body and "average of 1 rating" in body


def test_no_feedback_before_the_event_is_over(ctx):
    member = make_member()
    event = make_event()
    seat(event, member)
    page = listing.event_page(member, event.id)
    assert page.may_give_feedback is False
    with pytest.raises(errors.EventError, match="once the event is over"):
        feedback.give_feedback(member, event.id, 5, "Too early")
    assert mailings.send_feedback_requests() == 0
