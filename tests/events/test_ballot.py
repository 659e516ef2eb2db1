"""Evenings by ballot (club.events.ballots, club.events.ballot_close): staff open the window,
members enter and withdraw, booking waits, the draw at the close seats whole parties once, is
audited, mails everyone in their language, and can be re-checked from its seed."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from club.core import settings
from club.events import ballot_close, ballots, booking
from club.events.errors import EventError
from club.extensions import db
from club.membership import states
from club.membership.ambassadors import name_ambassador
from club.models.base import utcnow
from club.models.club import AuditEntry
from club.models.events import Ballot, BallotEntry, Booking, Event
from club.models.membership import Membership
from club.models.user import User
from tests.events.ballot_factories import add_entry, booking_of, drawn_evening, make_ballot
from tests.events.factories import make_event, seat
from tests.factories import count_queries, login, make_admin, make_member


def _entries(ballot_id):
    db.session.commit()
    return list(db.session.scalars(db.select(BallotEntry).where(BallotEntry.ballot_id == ballot_id)
                                   .order_by(BallotEntry.id).execution_options(populate_existing=True)))


def _audit(action):
    db.session.commit()
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


# Opening -------------------------------------------------------------------------------------------

def test_staff_open_an_evening_by_ballot_and_move_its_close(client, ctx):
    admin = make_admin()
    event = make_event(starts_in=timedelta(days=7))
    login(client, admin)
    assert "Open the ballot" in client.get(f"/events/{event.id}/ballot").get_data(as_text=True)
    closes = (utcnow() + timedelta(days=3)).astimezone(__import__("zoneinfo").ZoneInfo(settings.get("timezone")))
    r = client.post(f"/events/{event.id}/ballot", data={"closes_at": closes.strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 302
    ballot = db.session.scalars(db.select(Ballot).where(Ballot.event_id == event.id)).one()
    assert ballot.state == "open" and abs((ballot.closes_at - closes).total_seconds()) < 60
    assert [a.actor_id for a in _audit("event.ballot_opened")] == [admin.id]
    later = closes + timedelta(days=1)
    assert client.post(f"/events/{event.id}/ballot", data={"closes_at": later.strftime("%Y-%m-%dT%H:%M")}
                       ).status_code == 302
    assert len(_audit("event.ballot_changed")) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 1


@pytest.mark.parametrize("typed, message", [
    ("2001-01-01T10:00", "must close in the future"),
    ("after-start", "before the evening starts"),
    ("", "Give the close time"),
    ("not a time\x00", "close"),
])
def test_a_close_time_out_of_range_is_a_field_error(client, ctx, typed, message):
    event = make_event(starts_in=timedelta(days=2))
    login(client, make_admin())
    if typed == "after-start":
        typed = (event.starts_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(f"/events/{event.id}/ballot", data={"closes_at": typed})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "closes_at-error" in body and message in body
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 0


def test_a_ballot_opens_only_before_anyone_books(ctx):
    admin = make_admin()
    event = make_event()
    seat(event, make_member())
    with pytest.raises(EventError, match="already booked"):
        ballots.open_ballot(admin, event.id, utcnow() + timedelta(days=1))


def test_members_cannot_see_the_staff_ballot_page(client, ctx):
    event = make_event()
    login(client, make_member())
    assert client.get(f"/events/{event.id}/ballot").status_code == 404
    assert client.post(f"/events/{event.id}/ballot/draw").status_code == 404


# Entering ------------------------------------------------------------------------------------------

def test_a_member_enters_with_guests_once_withdraws_and_cannot_book_meanwhile(client, ctx):
    member = make_member()
    event = make_event(max_guests=2)
    ballot = make_ballot(event)
    login(client, member)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Enter the ballot" in page and ">Book<" not in page and "Join the waitlist" not in page
    assert client.post(f"/events/{event.id}/ballot/enter", data={"guests": "1"}).status_code == 302
    r = client.post(f"/events/{event.id}/ballot/enter", data={"guests": "1"}, follow_redirects=True)
    assert "already entered" in r.get_data(as_text=True)
    [entry] = _entries(ballot.id)
    assert (entry.state, entry.party_size) == ("entered", 2)
    assert "You are in the ballot" in client.get(f"/events/{event.id}").get_data(as_text=True)
    with pytest.raises(EventError, match="by ballot"):
        booking.book(member, event.id, 0)
    assert client.post(f"/events/{event.id}/ballot/withdraw").status_code == 302
    assert _entries(ballot.id)[0].state == "withdrawn"
    assert [a.action for a in db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("event.ballot_%"))
                                                 .order_by(AuditEntry.id))] == ["event.ballot_entered",
                                                                                "event.ballot_withdrawn"]
    # entering again reuses the row
    client.post(f"/events/{event.id}/ballot/enter", data={"guests": "0"})
    assert [(e.state, e.guests) for e in _entries(ballot.id)] == [("entered", 0)]


@pytest.mark.parametrize("guests", ["3", "-1", "two"])
def test_guests_outside_the_allowance_are_refused(client, ctx, guests):
    member = make_member()
    event = make_event(max_guests=2)
    ballot = make_ballot(event)
    login(client, member)
    r = client.post(f"/events/{event.id}/ballot/enter", data={"guests": guests}, follow_redirects=True)
    assert r.status_code == 200 and _entries(ballot.id) == []


def test_entering_after_the_close_is_refused(ctx):
    member = make_member()
    event = make_event()
    make_ballot(event, closes_in=timedelta(minutes=-1))
    with pytest.raises(EventError, match="closed"):
        ballots.enter(member, event.id, 0)


# The draw ------------------------------------------------------------------------------------------

def test_the_draw_seats_whole_parties_and_waitlists_the_rest_in_drawn_order(ctx):
    event, ballot, members, outcome = drawn_evening([0, 1, 2, 0, 3, 1, 0], capacity=6)
    entries = {e.id: e for e in _entries(ballot.id)}
    by_user = {e.user_id: e for e in entries.values()}
    seated_people = sum(entries[i].party_size for i in outcome.seated)
    assert seated_people <= 6 and db.session.get(Event, event.id, populate_existing=True).seats_taken == seated_people
    # nobody left out would have fitted in the seats left over
    assert all(entries[i].party_size > 6 - seated_people for i in outcome.waitlist)
    for member in members:
        entry, held = by_user[member.id], booking_of(event, member)
        assert held.state == ("confirmed" if entry.id in outcome.seated else "waitlisted")
        assert held.guests == entry.guests and entry.weight == 2.0  # all joined 30 days ago: new members
    waiting = db.session.scalars(db.select(Booking).where(Booking.event_id == event.id, Booking.state == "waitlisted")
                                 .order_by(Booking.queued_at, Booking.id))
    assert [by_user[b.user_id].id for b in waiting] == outcome.waitlist
    assert sorted(e.position for e in entries.values()) == list(range(1, 8))
    [entry] = _audit("event.ballot_drawn")
    assert entry.details["seed"] == "fixed-seed" and entry.details["seated"] == outcome.seated
    assert entry.details["waitlist"] == outcome.waitlist and entry.details["seats"] == 6
    db.session.commit()
    assert db.session.get(Ballot, ballot.id, populate_existing=True).seed == "fixed-seed"


def test_the_same_seed_gives_the_same_result_and_recheck_notices_tampering(ctx):
    _e1, ballot, _m, outcome = drawn_evening([0, 1, 0, 2, 0], capacity=3, seed="again")
    assert ballot_close.recheck(ballot.id)
    _e2, ballot2, _m2, outcome2 = drawn_evening([0, 1, 0, 2, 0], capacity=3, seed="again")
    ids1, ids2 = [e.id for e in _entries(ballot.id)], [e.id for e in _entries(ballot2.id)]
    assert [ids1.index(i) for i in outcome.seated] == [ids2.index(i) for i in outcome2.seated]
    # somebody moves a waiting entry into a seat: the re-check fails
    entry = db.session.get(BallotEntry, outcome.waitlist[0])
    entry.state = "seated"
    db.session.commit()
    assert not ballot_close.recheck(ballot.id)
    entry.state = "waitlisted"
    entry.weight = 9.0  # or changes a weight
    db.session.commit()
    assert not ballot_close.recheck(ballot.id) or outcome.order == _drawn_order_with(ballot.id)


def _drawn_order_with(ballot_id):
    from club.events.ballot_draw import Entry, drawn_order

    ballot = db.session.get(Ballot, ballot_id)
    return drawn_order([Entry(e.id, e.party_size, e.weight) for e in _entries(ballot_id) if e.position], ballot.seed)


def test_draw_due_draws_ballots_whose_window_ended_once(ctx, outbox):
    event = make_event(capacity=2)
    ballot = make_ballot(event, closes_in=timedelta(hours=1))
    for _ in range(3):
        add_entry(ballot, make_member())
    assert ballot_close.draw_due() == 0
    assert ballot_close.draw_due(utcnow() + timedelta(hours=2)) == 1
    assert ballot_close.draw_due(utcnow() + timedelta(hours=2)) == 0
    assert len(_audit("event.ballot_drawn")) == 1 and len(outbox.messages) == 3


def test_two_runs_at_the_same_instant_draw_once(app, ctx):
    event = make_event(capacity=3)
    ballot = make_ballot(event, closes_in=timedelta(minutes=-1))
    for guests in (0, 1, 0, 2, 0, 1):
        add_entry(ballot, make_member(), guests)
    barrier, results, errors = threading.Barrier(4), [], []

    def run():
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results.append(ballot_close.draw_due())
            except Exception as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and sorted(results) == [0, 0, 0, 1]
    assert len(_audit("event.ballot_drawn")) == 1
    db.session.commit()
    bookings = list(db.session.scalars(db.select(Booking).where(Booking.event_id == event.id)))
    assert len(bookings) == 6
    assert db.session.get(Event, event.id, populate_existing=True).seats_taken == sum(
        b.party_size for b in bookings if b.state == "confirmed") <= 3


def test_everyone_is_mailed_their_result_in_their_language(ctx, outbox):
    event, ballot, members, outcome = drawn_evening([0, 0], capacity=1, seed="mail")
    db.session.commit()
    entries = {e.id: e for e in _entries(ballot.id)}
    winner = db.session.get(User, entries[outcome.seated[0]].user_id)
    loser = db.session.get(User, entries[outcome.waitlist[0]].user_id)
    [won] = outbox.to(winner.email)
    [lost] = outbox.to(loser.email)
    assert "a seat is yours" in won["Subject"] and "you are booked" in won.get_content()
    assert "number 1 on the waitlist" in lost.get_content()


def test_the_result_mail_is_in_russian_for_a_russian_speaker(ctx, outbox):
    event = make_event("Supper", capacity=1)
    ballot = make_ballot(event, closes_in=timedelta(minutes=-1))
    member = make_member()
    member.language = "ru"
    db.session.commit()
    add_entry(ballot, member)
    ballot_close.draw_due()
    [mail] = outbox.to(member.email)
    assert "Supper" in mail["Subject"] and "жеребьёвк" in mail["Subject"].lower() + mail.get_content().lower()
    assert "Здравствуйте" in mail.get_content()


def test_weights_new_members_recent_losers_and_ambassadors(ctx):
    admin = make_admin()
    veteran, newcomer, loser, ambassador = (make_member() for _ in range(4))
    db.session.get(Membership, db.session.scalar(db.select(Membership.id).where(Membership.user_id == veteran.id))
                   ).joined_at = utcnow() - timedelta(days=400)
    for user in (loser, ambassador):
        db.session.scalars(db.select(Membership).where(Membership.user_id == user.id)).one().joined_at = \
            utcnow() - timedelta(days=400)
    db.session.commit()
    # the loser lost a ballot a month ago
    old_event = make_event("Earlier", capacity=1)
    old = make_ballot(old_event)
    entry = add_entry(old, loser)
    old.state, old.drawn_at, entry.state = "drawn", utcnow() - timedelta(days=30), "waitlisted"
    db.session.commit()
    name_ambassador(ambassador, admin)
    settings.update({"ballot_bonus_ambassador": 0.25})
    db.session.commit()
    weights = ballot_close.entrant_weights([veteran.id, newcomer.id, loser.id, ambassador.id], utcnow())
    # make_member joined 30 days ago: new (first 90 days)
    assert weights == {veteran.id: 1.0, newcomer.id: 2.0, loser.id: 1.5, ambassador.id: 1.25}


def test_entrants_who_lost_access_by_the_close_are_left_out(ctx, outbox):
    event = make_event(capacity=5)
    ballot = make_ballot(event, closes_in=timedelta(minutes=-1))
    stays, leaves = make_member(), make_member()
    add_entry(ballot, stays)
    add_entry(ballot, leaves)
    db.session.scalars(db.select(Membership).where(Membership.user_id == leaves.id)).one().state = states.ENDED
    db.session.commit()
    outcome = ballot_close.draw_ballot(ballot.id)
    assert len(outcome.seated) == 1 and len(outcome.void) == 1
    assert [e.state for e in _entries(ballot.id)] == ["seated", "void"]
    assert outbox.to(leaves.email) == []


# Pages and commands --------------------------------------------------------------------------------

def test_the_staff_page_shows_the_draw_and_rechecks_it(client, ctx):
    event, ballot, _members, _outcome = drawn_evening([0, 1, 0], capacity=2, seed="page")
    login(client, make_admin())
    page = client.get(f"/events/{event.id}/ballot").get_data(as_text=True)
    assert "page" in page and "Re-check the draw" in page and "Seated" in page
    r = client.post(f"/events/{event.id}/ballot/recheck", follow_redirects=True)
    assert "gives the recorded result" in r.get_data(as_text=True)
    show = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f"/events/{event.id}/ballot" in show


def test_staff_may_close_and_draw_early(client, ctx, outbox):
    admin = make_admin()
    event = make_event(capacity=2)
    ballot = make_ballot(event)
    add_entry(ballot, make_member())
    login(client, admin)
    r = client.post(f"/events/{event.id}/ballot/draw", follow_redirects=True)
    assert "The ballot is drawn" in r.get_data(as_text=True)
    assert [a.actor_id for a in _audit("event.ballot_drawn")] == [admin.id]
    assert "already" not in r.get_data(as_text=True)
    r = client.post(f"/events/{event.id}/ballot/draw", follow_redirects=True)
    assert "The draw has been made" in r.get_data(as_text=True) and len(_audit("event.ballot_drawn")) == 1


def test_the_staff_page_takes_the_same_number_of_queries_however_many_entries(client, ctx):
    event = make_event(capacity=3)
    ballot = make_ballot(event)
    login(client, make_admin())
    add_entry(ballot, make_member())
    client.get(f"/events/{event.id}/ballot")
    with count_queries() as few:
        client.get(f"/events/{event.id}/ballot")
    for _ in range(12):
        add_entry(ballot, make_member(), 1)
    with count_queries() as many:
        client.get(f"/events/{event.id}/ballot")
    assert many["n"] == few["n"]


def test_the_commands_draw_and_check(app, ctx):
    event = make_event(capacity=1)
    ballot = make_ballot(event, closes_in=timedelta(minutes=-1))
    add_entry(ballot, make_member())
    add_entry(ballot, make_member())
    runner = app.test_cli_runner()
    assert "1 ballot drawn" in runner.invoke(args=["draw-ballots"]).output
    result = runner.invoke(args=["check-ballot", str(event.id)])
    assert result.exit_code == 0 and "matches" in result.output
    assert runner.invoke(args=["check-ballot", "999999"]).exit_code == 1
