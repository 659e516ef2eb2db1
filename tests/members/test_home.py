"""/me: state and billing, the curator, bookings, recommendations, invites and endorsements."""
from datetime import timedelta

from club.extensions import db
from club.models.curation import CuratorProfile
from club.models.events import BOOKING_WAITLISTED
from tests.applications.factories import make_application, make_club_member
from tests.events.factories import make_event, seat
from tests.factories import login, make_admin, make_curator, make_member


def _curator():
    curator = make_curator()
    profile = db.session.get(CuratorProfile, curator.id)
    profile.bio, profile.contact = "Twenty years of supper clubs.", "Call +44 20 7946 0000"
    db.session.commit()
    return curator


def test_home_shows_state_curator_bookings_recommendations_invites_and_endorsements(client, ctx):
    from club.applications import endorsements as applications

    curator = _curator()
    member = make_club_member(curator=curator, interests=["sailing"], kind="offline")
    applicant, _application, _invitation = make_application(email="friend@example.net")
    applications.ask_for_endorsement(applicant, member.email)
    db.session.commit()
    booked = make_event("Autumn Supper", starts_in=timedelta(days=3))
    seat(booked, member, guests=1)
    waiting = make_event("Full Tasting", starts_in=timedelta(days=4), capacity=1)
    seat(waiting, member, state=BOOKING_WAITLISTED)
    make_event("Soonest Talk", starts_in=timedelta(days=1))
    make_event("Sailing Weekend", starts_in=timedelta(days=20), tags=["sailing"])
    make_event("Secret Dinner", starts_in=timedelta(days=2), visibility="invite_only")
    make_event("Past Evening", starts_in=timedelta(days=-2))

    login(client, member)
    r = client.get("/me")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Active" in body
    assert curator.full_name in body and "Twenty years of supper clubs." in body and "+44 20 7946 0000" in body
    assert "Autumn Supper" in body and "with 1 guest" in body and "You are on the waitlist" in body
    # Recommended: shared interest first, then the soonest; never an invite-only event they are not on.
    assert body.index("Sailing Weekend") < body.index("Soonest Talk")
    assert "Secret Dinner" not in body and "Past Evening" not in body
    assert "You can invite <strong>3</strong>" in body
    assert "Ada Quill" in body


def test_a_member_without_access_sees_their_state_and_the_billing_action_only(client, ctx):
    member = make_member(state="pending_payment", kind=None, curator=_curator())
    make_event("Members Only Evening")
    login(client, member)
    body = client.get("/me").get_data(as_text=True)
    assert "Awaiting payment" in body and 'href="/billing"' in body
    assert "Members Only Evening" not in body and "Your next evenings" not in body and "Getting started" not in body
    assert client.get("/me/requests").status_code == 403 and client.get("/me/profile").status_code == 403


def test_home_without_a_curator_says_one_is_being_chosen(client, ctx):
    login(client, make_member())
    assert "Your curator is being chosen" in client.get("/me").get_data(as_text=True)


def test_staff_without_a_membership_are_sent_to_their_own_home(client, ctx):
    login(client, make_admin())
    r = client.get("/me")
    assert r.status_code == 302 and r.headers["Location"].endswith("/home")


def test_home_runs_a_bounded_number_of_queries(app, client, ctx):
    """Ten bookings or one: the same number of queries (no query per booking or event)."""
    from sqlalchemy import event as sa_event

    def count_for(n):
        member = make_member(curator=_curator(), interests=["wine"])
        for i in range(n):
            seat(make_event(f"Evening {i}", tags=["wine"]), member)
            make_event(f"Other {i}", tags=["wine"])
        login(client, member)
        client.get("/me")  # first visit: rules check, session
        statements = []
        listener = lambda *a, **k: statements.append(1)  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/me").status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        client.post("/logout")
        return len(statements)

    assert count_for(1) == count_for(6)
