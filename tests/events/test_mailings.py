"""Reminders a day before, feedback requests after: each mail once."""
from datetime import timedelta

from club.events import booking, door, mailings, manage
from club.extensions import db
from club.models.base import utcnow
from club.models.events import Booking
from tests.events.factories import make_event, seat
from tests.factories import make_curator, make_member


def test_reminders_go_once_to_members_booked_for_tomorrow(app, ctx, outbox):
    member, waiting, later_member = make_member(), make_member(), make_member()
    tomorrow = make_event("Tomorrow's supper", starts_in=timedelta(hours=20), capacity=1)
    seat(tomorrow, member)
    booking.book(waiting, tomorrow.id, 0)
    seat(make_event("Next week", starts_in=timedelta(days=7)), later_member)
    assert mailings.send_reminders() == 1
    assert mailings.send_reminders() == 0
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "0 reminders sent" in result.output
    mails = outbox.to(member.email)
    assert len(mails) == 1 and "Tomorrow: Tomorrow's supper" in mails[0]["Subject"]
    assert outbox.to(waiting.email) == [] and outbox.to(later_member.email) == []
    # Six days on, next week's event is tomorrow's: its reminder goes then.
    assert mailings.send_reminders(now=utcnow() + timedelta(days=6, hours=12)) == 1
    assert len(outbox.to(later_member.email)) == 1


def test_feedback_requests_go_after_the_event_to_attendees_once(app, ctx, outbox):
    curator = make_curator()
    came, stayed_home, booked_only = make_member(), make_member(), make_member()
    checked = make_event("Checked-in evening", starts_in=timedelta(hours=-5), hours=2)
    for m in (came, stayed_home):
        seat(checked, m)
    relaxed = make_event("Nobody at the door", starts_in=timedelta(hours=-5), hours=2)
    seat(relaxed, booked_only)
    bookings = {b.user_id: b for b in db.session.scalars(db.select(Booking).where(
        Booking.event_id == checked.id))}
    door.check_in(curator, checked.id, bookings[came.id].id, "attended")
    door.check_in(curator, checked.id, bookings[stayed_home.id].id, "no_show")
    result = app.test_cli_runner().invoke(args=["send-feedback-requests"])
    assert "2 feedback requests sent" in result.output
    assert mailings.send_feedback_requests() == 0
    assert "/events/%d/feedback" % checked.id in outbox.to(came.email)[0].get_content()
    assert len(outbox.to(booked_only.email)) == 1 and outbox.to(stayed_home.email) == []


def test_overlapping_reminder_runs_still_send_each_reminder_once(app, ctx, outbox):
    from tests.events.test_booking_concurrency import run_together

    members = [make_member() for _ in range(6)]
    event = make_event(starts_in=timedelta(hours=12), capacity=10)
    for m in members:
        seat(event, m)
    results, errors = run_together(app, [(members[0].id, lambda _user: mailings.send_reminders())] * 4)
    assert errors == [None] * 4 and sum(results) == 6
    assert sorted(len(outbox.to(m.email)) for m in members) == [1] * 6


def test_moving_an_event_sends_the_reminder_again(ctx, outbox):
    curator = make_curator()
    member = make_member()
    event = make_event(starts_in=timedelta(hours=12))
    seat(event, member)
    assert mailings.send_reminders() == 1
    _, values = manage.event_form_data(curator, event.id)
    values["starts_at"] = manage.local_to_utc(values["starts_at"]) + timedelta(hours=2)
    values["ends_at"] = manage.local_to_utc(values["ends_at"]) + timedelta(hours=2)
    manage.update_event(curator, event.id, manage.EventDraft(**values))
    assert mailings.send_reminders() == 1


def test_a_reminder_the_mail_server_refused_is_sent_again_later(app, ctx, outbox):
    """The reminder is marked in the same commit that writes it to the outbox; a refused send stays
    there and is retried, instead of being marked sent and lost."""
    from club.core.outbox import deliver_due
    from club.models.club import OutboxMail
    from tests.core.smtp_server import Relay, SmtpServer

    member = make_member()
    seat(make_event("Tomorrow's supper", starts_in=timedelta(hours=20)), member)
    assert mailings.send_reminders() == 1
    start = utcnow()
    with SmtpServer(app, Relay()) as relay:
        relay.refusing = True
        assert deliver_due(start).retrying == 1
        assert mailings.send_reminders() == 0  # the booking is marked: the job itself does not send it twice
        relay.refusing = False
        assert deliver_due(start + timedelta(minutes=1)).sent == 1
    db.session.rollback()
    row = db.session.scalars(db.select(OutboxMail)).one()
    assert relay.received == [row.message_id] and row.state == "sent" and row.recipients == member.email
