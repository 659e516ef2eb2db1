"""Reminders a day before, feedback requests after, feedback only from attendees and once."""
from datetime import timedelta

import pytest


from club.events import service
from club.extensions import db
from club.models.base import utcnow
from club.models.events import EventFeedback
from tests.events.factories import make_event, seat
from tests.factories import login, make_curator, make_member


def test_reminders_go_once_to_members_booked_for_tomorrow(app, ctx, outbox):
    member, waiting, later_member = make_member(), make_member(), make_member()
    tomorrow = make_event("Tomorrow's supper", starts_in=timedelta(hours=20), capacity=1)
    seat(tomorrow, member)
    service.book(waiting, tomorrow.id, 0)
    seat(make_event("Next week", starts_in=timedelta(days=7)), later_member)
    assert service.send_reminders() == 1
    assert service.send_reminders() == 0
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "0 reminders sent" in result.output
    mails = outbox.to(member.email)
    assert len(mails) == 1 and "Tomorrow: Tomorrow's supper" in mails[0]["Subject"]
    assert outbox.to(waiting.email) == [] and outbox.to(later_member.email) == []
    # Six days on, next week's event is tomorrow's: its reminder goes then.
    assert service.send_reminders(now=utcnow() + timedelta(days=6, hours=12)) == 1
    assert len(outbox.to(later_member.email)) == 1


def test_feedback_requests_go_after_the_event_to_attendees_once(app, ctx, outbox):
    curator = make_curator()
    came, stayed_home, booked_only = make_member(), make_member(), make_member()
    checked = make_event("Checked-in evening", starts_in=timedelta(hours=-5), hours=2)
    for m in (came, stayed_home):
        seat(checked, m)
    relaxed = make_event("Nobody at the door", starts_in=timedelta(hours=-5), hours=2)
    seat(relaxed, booked_only)
    bookings = {b.user_id: b for b in db.session.scalars(db.select(service.Booking).where(
        service.Booking.event_id == checked.id))}
    service.check_in(curator, checked.id, bookings[came.id].id, "attended")
    service.check_in(curator, checked.id, bookings[stayed_home.id].id, "no_show")
    result = app.test_cli_runner().invoke(args=["send-feedback-requests"])
    assert "2 feedback requests sent" in result.output
    assert service.send_feedback_requests() == 0
    assert "/events/%d/feedback" % checked.id in outbox.to(came.email)[0].get_content()
    assert len(outbox.to(booked_only.email)) == 1 and outbox.to(stayed_home.email) == []


def test_feedback_only_from_attendees_and_only_once(client, ctx):
    curator = make_curator()
    came, no_show, outsider = make_member(), make_member(), make_member()
    event = make_event("Past evening", starts_in=timedelta(hours=-4), hours=2)
    seat(event, came)
    b2 = seat(event, no_show)
    b1 = db.session.scalars(db.select(service.Booking).where(service.Booking.user_id == came.id)).one()
    service.check_in(curator, event.id, b1.id, "attended")
    service.check_in(curator, event.id, b2.id, "no_show")

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
    page = service.event_page(member, event.id)
    assert page.may_give_feedback is False
    with pytest.raises(service.EventError, match="once the event is over"):
        service.give_feedback(member, event.id, 5, "Too early")
    assert service.send_feedback_requests() == 0


def test_overlapping_reminder_runs_still_send_each_reminder_once(app, ctx, outbox):
    from tests.events.test_concurrency import run_together

    members = [make_member() for _ in range(6)]
    event = make_event(starts_in=timedelta(hours=12), capacity=10)
    for m in members:
        seat(event, m)
    results, errors = run_together(app, [(members[0].id, lambda _user: service.send_reminders())] * 4)
    assert errors == [None] * 4 and sum(results) == 6
    assert sorted(len(outbox.to(m.email)) for m in members) == [1] * 6


def test_moving_an_event_sends_the_reminder_again(ctx, outbox):
    curator = make_curator()
    member = make_member()
    event = make_event(starts_in=timedelta(hours=12))
    seat(event, member)
    assert service.send_reminders() == 1
    _, values = service.event_form_data(curator, event.id)
    values["starts_at"] = service.local_to_utc(values["starts_at"]) + timedelta(hours=2)
    values["ends_at"] = service.local_to_utc(values["ends_at"]) + timedelta(hours=2)
    service.update_event(curator, event.id, service.EventDraft(**values))
    assert service.send_reminders() == 1
