"""Members' own evenings: proposing, withdrawing, staff approving (with edits) or declining with a
reason, the host's door list (their own evening only), the leaders' ranking, erasure, and the
pages' input policy and cost."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from club.core.erasure import erase_person
from club.events import proposals
from club.events.errors import EventError, EventNotFound
from club.extensions import db
from club.membership import states
from club.metrics import leaders
from club.models.base import utcnow
from club.models.club import AuditEntry
from club.models.events import ATTENDED, Booking, Event, EventProposal
from tests.events.factories import make_event, reload, seat
from tests.factories import count_queries, login, make_admin, make_curator, make_member

NOW = datetime(2030, 5, 1, 12, tzinfo=timezone.utc)
ZONE = ZoneInfo("Europe/London")


def _draft(days: int = 14, **changes) -> proposals.ProposalDraft:
    starts = utcnow().replace(microsecond=0, second=0) + timedelta(days=days)
    values = dict(title="Sailing stories", description="An evening of tales from the sea.", starts_at=starts,
                  ends_at=starts + timedelta(hours=2), venue_name="The Boathouse", venue_address="1 Quay",
                  capacity=12, max_guests=1)
    values.update(changes)
    return proposals.ProposalDraft(**values)


def _form(days: int = 14, **changes) -> dict:
    starts = (utcnow() + timedelta(days=days)).astimezone(ZONE).replace(second=0, microsecond=0)
    data = {"title": "Sailing stories", "description": "An evening of tales from the sea.",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "venue_name": "The Boathouse", "venue_address": "1 Quay", "capacity": "12", "max_guests": "1"}
    data.update(changes)
    return data


def _as(client, user):
    """Sign in as ``user``, signing out whoever was signed in."""
    client.post("/logout")
    login(client, user)


def _count(model, *where) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _actions() -> list[str]:
    db.session.commit()
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("event_proposal.%"))
                                   .order_by(AuditEntry.id)))


# -- the rules, by table -----------------------------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({}, None),
    ({"starts_at": NOW - timedelta(minutes=1), "ends_at": NOW + timedelta(hours=1)}, "starts_at"),
    ({"starts_at": NOW, "ends_at": NOW + timedelta(hours=1)}, "starts_at"),          # now is not the future
    ({"ends_at": NOW + timedelta(days=1)}, "ends_at"),                               # ends as it starts
    ({"ends_at": NOW + timedelta(hours=23)}, "ends_at"),                             # ends before it starts
    ({"capacity": 1}, "capacity"),
    ({"capacity": 2}, None),
    ({"capacity": 200}, None),
    ({"capacity": 201}, "capacity"),
    ({"max_guests": -1}, "max_guests"),
    ({"max_guests": 10}, None),
    ({"max_guests": 11}, "max_guests"),
])
def test_the_rules_of_a_proposal_refuse_at_the_field(app, changes, field):
    values = dict(title="T", description="D", starts_at=NOW + timedelta(days=1),
                  ends_at=NOW + timedelta(days=1, hours=2), venue_name="V", venue_address="",
                  capacity=10, max_guests=0)
    values.update(changes)
    with app.test_request_context():
        if field is None:
            proposals.check_draft(proposals.ProposalDraft(**values), NOW)
        else:
            with pytest.raises(EventError) as exc:
                proposals.check_draft(proposals.ProposalDraft(**values), NOW)
            assert exc.value.field == field


# -- proposing and withdrawing -------------------------------------------------------------------

def test_a_member_proposes_from_the_events_page_and_follows_it(client, ctx):
    member = make_member(name="Mira Sands")
    _as(client, member)
    events_page = client.get("/events").get_data(as_text=True)
    assert "/events/propose" in events_page
    assert client.get("/events/propose").status_code == 200
    r = client.post("/events/propose", data=_form())
    assert r.status_code == 302 and r.headers["Location"].endswith("/events/proposals/mine")
    proposal = db.session.scalars(select(EventProposal)).one()
    assert (proposal.member_id, proposal.state, proposal.capacity, proposal.max_guests) == (member.id, "proposed", 12, 1)
    mine = client.get("/events/proposals/mine").get_data(as_text=True)
    assert "Sailing stories" in mine and "Awaiting review" in mine and "Withdraw this proposal" in mine
    assert _actions() == ["event_proposal.proposed"]


def test_a_double_submit_makes_one_proposal(client, ctx):
    _as(client, make_member())
    first, second = client.post("/events/propose", data=_form()), client.post("/events/propose", data=_form())
    assert first.status_code == second.status_code == 302
    assert _count(EventProposal) == 1


def test_a_double_submit_at_the_same_instant_makes_one_proposal(app, ctx):
    from tests.events.test_booking_concurrency import run_together

    member = make_member()
    draft = _draft()
    results, errors = run_together(app, [(member.id, lambda user: proposals.propose(user, draft).id)] * 6)
    assert errors == [None] * 6
    assert len(set(results)) == 1 and _count(EventProposal) == 1


@pytest.mark.parametrize("changes, field, message", [
    ({"starts_at": "2001-01-01T19:00", "ends_at": "2001-01-01T21:00"}, "starts_at", "The start must be in the future."),
    ({"capacity": "1"}, "capacity", "Number must be between 2 and 200."),
    ({"capacity": "5000"}, "capacity", "Number must be between 2 and 200."),
    ({"capacity": "99999999999"}, "capacity", "That number is too large."),
    ({"max_guests": "11"}, "max_guests", "Number must be between 0 and 10."),
    ({"title": "Sailing\x00stories"}, "title", "control characters"),
    ({"title": ""}, "title", "This field is required."),
])
def test_bad_input_is_a_field_error_that_keeps_what_was_typed(client, ctx, changes, field, message):
    _as(client, make_member())
    data = _form(**changes)
    r = client.post("/events/propose", data=data)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and message in body
    assert f'id="{field}-error"' in body
    assert "The Boathouse" in body  # what was typed stays
    assert _count(EventProposal) == 0


def test_the_member_withdraws_while_proposed_only(client, ctx):
    member, other = make_member(), make_member()
    proposal = proposals.propose(member, _draft())
    _as(client, other)
    assert client.post(f"/events/proposals/{proposal.id}/withdraw").status_code == 404  # not theirs
    _as(client, member)
    r = client.post(f"/events/proposals/{proposal.id}/withdraw", follow_redirects=True)
    assert "Your proposal is withdrawn." in r.get_data(as_text=True)
    assert reload(proposal).state == "withdrawn"
    again = client.post(f"/events/proposals/{proposal.id}/withdraw", follow_redirects=True)
    assert "already been decided or withdrawn" in again.get_data(as_text=True)
    with pytest.raises(EventError):
        proposals.approve(make_curator(), proposal.id, _draft())
    assert _actions() == ["event_proposal.proposed", "event_proposal.withdrawn"]


def test_only_members_with_access_propose(client, ctx):
    lapsed = make_member(state=states.LAPSED)
    _as(client, lapsed)
    assert client.get("/events/propose").status_code == 403
    with pytest.raises(EventNotFound):
        proposals.propose(lapsed, _draft())


# -- staff decide ----------------------------------------------------------------------------

def test_staff_approve_with_an_edit_and_the_member_hosts_a_published_evening(client, ctx, outbox):
    member = make_member(name="Mira Sands")
    other = make_member()
    curator = make_curator()
    proposal = proposals.propose(member, _draft())
    _as(client, curator)
    queue = client.get("/events/proposals").get_data(as_text=True)
    assert "Sailing stories" in queue and "Mira Sands" in queue
    review = client.get(f"/events/proposals/{proposal.id}").get_data(as_text=True)
    assert "Approve and publish" in review and 'value="The Boathouse"' in review
    r = client.post(f"/events/proposals/{proposal.id}/approve", data=_form(title="Sailing stories, retold",
                                                                           capacity="16"))
    assert r.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert (event.title, event.capacity, event.host_id, event.state, event.visibility, event.created_by_id) == \
        ("Sailing stories, retold", 16, member.id, "published", "members", curator.id)
    assert reload(proposal).state == "approved" and proposal.event_id == event.id
    assert proposal.decided_by_id == curator.id
    mail = outbox.to(member.email)[-1]
    assert "Sailing stories, retold" in mail["Subject"] and f"/events/{event.id}/attendees" in mail.get_content()
    # Visible like any member event: another member sees it and can book it.
    _as(client, other)
    assert "Sailing stories, retold" in client.get("/events").get_data(as_text=True)
    assert client.post(f"/events/{event.id}/book", data={"guests": "0"}).status_code == 302
    assert _count(Booking, Booking.event_id == event.id) == 1
    # The member sees the state and the evening.
    _as(client, member)
    mine = client.get("/events/proposals/mine").get_data(as_text=True)
    assert "Approved and published" in mine and f"/events/{event.id}" in mine
    assert _actions() == ["event_proposal.proposed", "event_proposal.approved"]
    # A second decision (another curator, a double click) changes nothing.
    _as(client, make_admin())
    again = client.post(f"/events/proposals/{proposal.id}/approve", data=_form())
    assert again.status_code == 400 and _count(Event) == 1


def test_staff_decline_with_a_reason_the_member_reads_in_their_language(client, ctx, outbox):
    member = make_member()
    member.language = "ru"
    db.session.commit()
    proposal = proposals.propose(member, _draft())
    _as(client, make_curator())
    empty = client.post(f"/events/proposals/{proposal.id}/decline", data={"reason": ""})
    assert empty.status_code == 400 and reload(proposal).state == "proposed"
    r = client.post(f"/events/proposals/{proposal.id}/decline",
                    data={"reason": "The boathouse is closed in winter."})
    assert r.status_code == 302
    assert reload(proposal).state == "declined" and proposal.decline_reason == "The boathouse is closed in winter."
    mail = outbox.to(member.email)[-1]
    body = mail.get_content()
    assert "The boathouse is closed in winter." in body and "Здравствуйте" in body
    assert "Sailing stories" in mail["Subject"] and "/events/proposals/mine" in body
    _as(client, member)
    mine = client.get("/events/proposals/mine").get_data(as_text=True)
    assert "The boathouse is closed in winter." in mine
    assert _actions() == ["event_proposal.proposed", "event_proposal.declined"]


def test_two_curators_deciding_at_once_make_one_decision(app, ctx):
    from tests.events.test_booking_concurrency import run_together

    member = make_member()
    first, second = make_curator(), make_admin()
    proposal_id = proposals.propose(member, _draft()).id
    draft = _draft()

    def approve(user):
        return proposals.approve(user, proposal_id, draft).id

    def decline(user):
        return proposals.decline(user, proposal_id, "No.").id

    results, errors = run_together(app, [(first.id, approve), (second.id, decline)] * 3)
    assert sum(1 for e in errors if e is None) == 1
    assert all(isinstance(e, EventError) for e in errors if e is not None)
    proposal = db.session.get(EventProposal, proposal_id, populate_existing=True)
    assert _count(Event) == (1 if proposal.state == "approved" else 0)


def test_members_do_not_see_the_staff_pages(client, ctx):
    member = make_member()
    proposal = proposals.propose(member, _draft())
    _as(client, member)
    assert client.get("/events/proposals").status_code == 403
    assert client.get(f"/events/proposals/{proposal.id}").status_code == 403
    assert client.post(f"/events/proposals/{proposal.id}/approve", data=_form()).status_code == 403
    assert client.post(f"/events/proposals/{proposal.id}/decline", data={"reason": "x"}).status_code == 403
    _as(client, make_curator())
    assert client.get("/events/proposals/999999").status_code == 404


def _statements(client, user, path) -> int:
    _as(client, user)
    client.get(path)  # the first request of a session loads what later ones reuse
    with count_queries() as counted:
        assert client.get(path).status_code == 200
    return counted["n"]


def test_the_lists_cost_the_same_statements_whatever_the_size(client, ctx):
    curator, member = make_curator(), make_member()
    proposals.approve(curator, proposals.propose(member, _draft(title="One")).id, _draft(title="One"))
    proposals.propose(member, _draft(title="Two"))
    small = (_statements(client, curator, "/events/proposals"), _statements(client, member, "/events/proposals/mine"))
    for n in range(8):
        proposals.propose(make_member(), _draft(title=f"Evening {n}", days=10 + n))
        mine = proposals.propose(member, _draft(title=f"Mine {n}", days=10 + n))
        if n % 2:
            proposals.approve(curator, mine.id, _draft(title=f"Mine {n}", days=10 + n))
    proposals.decline(curator, proposals.propose(member, _draft(title="Declined")).id, "No.")
    large = (_statements(client, curator, "/events/proposals"), _statements(client, member, "/events/proposals/mine"))
    assert large == small


# -- the host at the door ----------------------------------------------------------------------

def test_the_host_sees_and_checks_in_their_own_evening_only(client, ctx):
    host, guest = make_member(name="Mira Sands"), make_member(name="Ada Lovelace", email="ada@example.org")
    proposal = proposals.propose(host, _draft())
    event = proposals.approve(make_curator(), proposal.id, _draft())
    seat(event, guest)
    booking = db.session.scalars(select(Booking).where(Booking.event_id == event.id)).one()
    someone_elses = make_event(title="The curator's supper")
    seat(someone_elses, guest)
    other_booking = db.session.scalars(select(Booking).where(Booking.event_id == someone_elses.id)).one()
    _as(client, host)
    show = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f"/events/{event.id}/attendees" in show
    page = client.get(f"/events/{event.id}/attendees")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ada Lovelace" in body
    assert "ada@example.org" not in body  # a member host sees names, not addresses
    csv = client.get(f"/events/{event.id}/attendees.csv").get_data(as_text=True)
    assert "Ada Lovelace" in csv and "ada@example.org" not in csv
    r = client.post(f"/events/{event.id}/attendees/{booking.id}", data={"attendance": "attended"})
    assert r.status_code == 302 and reload(booking).attendance == ATTENDED
    # Every other event's door list stays refused to them.
    assert f"/events/{someone_elses.id}/attendees" not in client.get(f"/events/{someone_elses.id}").get_data(as_text=True)
    assert client.get(f"/events/{someone_elses.id}/attendees").status_code == 404
    assert client.get(f"/events/{someone_elses.id}/attendees.csv").status_code == 404
    assert client.post(f"/events/{someone_elses.id}/attendees/{other_booking.id}",
                       data={"attendance": "attended"}).status_code == 404
    assert client.post(f"/events/{someone_elses.id}/attendees/{booking.id}",
                       data={"attendance": "no_show"}).status_code == 404
    assert reload(other_booking).attendance is None and reload(booking).attendance == ATTENDED
    # Staff still see addresses.
    _as(client, make_curator())
    assert "ada@example.org" in client.get(f"/events/{event.id}/attendees").get_data(as_text=True)


def test_an_approved_member_evening_counts_for_the_leaders(ctx):
    host = make_member(name="Mira Sands")
    proposal = proposals.propose(host, _draft(days=3))
    event = proposals.approve(make_curator(), proposal.id, _draft(days=3))
    # A week on, the evening has taken place: hosting it counts.
    board = {x.name: x for x in leaders.board(event.starts_at + timedelta(days=4))}
    assert ("hosted", 1, leaders.weights()["hosted"]) in {(r.signal, r.count, r.points) for r in board["Mira Sands"].reasons}


# -- erasure -----------------------------------------------------------------------------------

def test_erasing_the_member_takes_their_words(ctx):
    member = make_member()
    curator = make_curator()
    waiting = proposals.propose(member, _draft(title="Waiting"))
    declined = proposals.propose(member, _draft(title="Declined", days=20))
    withdrawn = proposals.propose(member, _draft(title="Withdrawn", days=21))
    proposals.decline(curator, declined.id, "Not this time.")
    proposals.withdraw(member, withdrawn.id)
    kept = proposals.propose(make_member(), _draft(title="Someone else's"))
    erase_person(member.id)
    db.session.commit()
    for proposal in (waiting, declined, withdrawn):
        reload(proposal)
        assert (proposal.title, proposal.description, proposal.venue_name, proposal.decline_reason) == ("", "", "", "")
    assert waiting.state == "withdrawn" and declined.state == "declined"
    assert reload(kept).title == "Someone else's"


def test_every_field_error_shows_at_once(client, ctx):
    _as(client, make_member())
    r = client.post("/events/propose", data=_form(starts_at="2001-01-01T19:00", ends_at="2001-01-01T18:00",
                                                  capacity="500"))
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert all(f'id="{name}-error"' in body for name in ("starts_at", "ends_at", "capacity"))
