"""A small club built by hand, whose figures the tests work out by hand; and a bigger one in bulk."""
from __future__ import annotations

from datetime import timedelta

from club.extensions import db
from club.membership import states
from club.models.applications import Application, Endorsement, Invitation
from club.models.base import utcnow
from club.models.billing import Plan
from club.models.curation import ApplicationDecision
from club.models.events import ATTENDED, BOOKING_CONFIRMED, EVENT_PUBLISHED, NO_SHOW, Booking, Event, EventFeedback
from club.models.members import AtRiskFollowUp, CuratorRequest, RequestMessage
from club.models.membership import Membership
from tests.factories import make_admin, make_curator, make_user


def member(days_ago: int, *, state=states.ACTIVE, kind="complimentary", plan=None, cadence=None, ended_days_ago=None,
           reason=None, curator=None, **kwargs):
    user = make_user(**kwargs)
    now = utcnow()
    db.session.add(Membership(user_id=user.id, state=state, kind=kind, plan_id=plan.id if plan else None,
                              plan=cadence, approved_at=now - timedelta(days=days_ago + 1),
                              joined_at=now - timedelta(days=days_ago), curator_id=curator.id if curator else None,
                              ended_at=now - timedelta(days=ended_days_ago) if ended_days_ago is not None else None,
                              leave_reason=reason))
    db.session.commit()
    return user


def invitation(inviter, days_ago: float, email: str) -> Invitation:
    now = utcnow()
    row = Invitation(inviter_id=inviter.id, email=email, created_at=now - timedelta(days=days_ago),
                     expires_at=now + timedelta(days=14))
    db.session.add(row)
    db.session.flush()
    return row


def application(invite: Invitation, days_ago: float, *, user=None, endorsed_days_ago=None, endorsers=(),
                decided_days_ago=None, outcome=None) -> Application:
    now = utcnow()
    app = Application(invitation_id=invite.id, user_id=user.id if user else None, full_name="Applicant",
                      email=invite.email, state=outcome or "submitted", endorsement_count=len(endorsers),
                      submitted_at=now - timedelta(days=days_ago),
                      decided_at=now - timedelta(days=decided_days_ago) if decided_days_ago is not None else None)
    db.session.add(app)
    db.session.flush()
    for i, endorser in enumerate(endorsers):
        # the last answer completes the endorsements
        answered = now - timedelta(days=endorsed_days_ago + (len(endorsers) - 1 - i))
        db.session.add(Endorsement(application_id=app.id, endorser_id=endorser.id, state="endorsed",
                                   requested_at=app.submitted_at, answered_at=answered))
    if outcome:
        db.session.add(ApplicationDecision(application_id=app.id, outcome=outcome, reason="Because.",
                                           decided_at=app.decided_at))
    return app


def past_event(days_ago: int, *, capacity: int, seats_taken: int, title="Supper") -> Event:
    starts = utcnow() - timedelta(days=days_ago)
    event = Event(title=title, starts_at=starts, ends_at=starts + timedelta(hours=3), venue_name="The Linden Room",
                  capacity=capacity, seats_taken=seats_taken, state=EVENT_PUBLISHED, published_at=starts)
    db.session.add(event)
    db.session.flush()
    return event


def booking(event: Event, user, attendance=None, *, waited: bool = False, rating=None) -> Booking:
    queued = event.starts_at - timedelta(days=3)
    row = Booking(event_id=event.id, user_id=user.id, state=BOOKING_CONFIRMED, queued_at=queued,
                  confirmed_at=queued + timedelta(hours=5) if waited else queued, attendance=attendance)
    db.session.add(row)
    if rating:
        db.session.add(EventFeedback(event_id=event.id, user_id=user.id, rating=rating))
    return row


def hand_built_club() -> dict:
    """The club the figure tests count by hand (see tests/metrics/test_report.py)."""
    plan = Plan(name="Individual", monthly_cents=15000, annual_cents=120000, initiation_cents=50000)
    db.session.add(plan)
    db.session.commit()
    inviter = member(400, kind="stripe", plan=plan, cadence="monthly", email="inviter@example.org")
    e1, e2 = member(300), member(300)
    leaver = member(200, state=states.ENDED, ended_days_ago=5, reason="Moving abroad")
    newcomer = make_user(email="newcomer@example.org")
    now = utcnow()
    db.session.add(Membership(user_id=newcomer.id, state=states.ACTIVE, kind="offline", plan_id=plan.id,
                              plan="annual", approved_at=now - timedelta(days=43), joined_at=now - timedelta(days=41),
                              initiation_paid=True))
    one = invitation(inviter, 50, "one@example.net")
    application(one, 48, user=newcomer, endorsers=(e1, e2), endorsed_days_ago=44, decided_days_ago=43,
                outcome="approved")
    two = invitation(inviter, 40, "two@example.net")
    application(two, 36, endorsers=(e1, e2), endorsed_days_ago=30, decided_days_ago=27, outcome="rejected")
    three = invitation(inviter, 20, "three@example.net")
    application(three, 19)
    invitation(inviter, 10, "four@example.net")
    supper = past_event(7, capacity=10, seats_taken=8)
    booking(supper, inviter, ATTENDED, rating=5)
    booking(supper, newcomer, ATTENDED, waited=True, rating=2)
    booking(supper, leaver, NO_SHOW)
    db.session.commit()
    return {"plan": plan, "inviter": inviter, "newcomer": newcomer, "leaver": leaver}


def more_of_everything(n: int) -> None:
    """``n`` more members, each invited, with an application, a booking and a rating at an event."""
    plan = db.session.scalars(db.select(Plan)).first()
    for i in range(n):
        person = member(100 + i, kind="stripe", plan=plan, cadence="monthly" if i % 2 else "annual")
        invite = invitation(person, 5 + i % 20, f"more{i}@example.net")
        application(invite, 3 + i % 20)
        event = past_event(2 + i % 25, capacity=20, seats_taken=5, title=f"Evening {i}")
        booking(event, person, ATTENDED if i % 3 else NO_SHOW, rating=1 + i % 5)
        db.session.commit()


def request(person, days_ago: float, *, answered_by=None, hours_to_answer: float = 0, state="open",
            member_again_days_ago: float | None = None) -> CuratorRequest:
    """A request ``person`` opened ``days_ago``, answered ``hours_to_answer`` later by ``answered_by``
    (never, without one), and maybe written to again by the member."""
    opened = utcnow() - timedelta(days=days_ago)
    row = CuratorRequest(member_id=person.id, topic="help", state=state, created_at=opened, updated_at=opened)
    row.messages.append(RequestMessage(author_id=person.id, body="Could you help?", created_at=opened))
    if answered_by is not None:
        row.messages.append(RequestMessage(author_id=answered_by.id, body="Of course.",
                                           created_at=opened + timedelta(hours=hours_to_answer)))
    if member_again_days_ago is not None:
        row.messages.append(RequestMessage(author_id=person.id, body="Any news?",
                                           created_at=utcnow() - timedelta(days=member_again_days_ago)))
    db.session.add(row)
    return row


def requests_club() -> dict:
    """Curators Clara and Oscar, their members' requests and warning signs, and a member without a
    curator: the curators' and engagement figures of tests/metrics/test_curators.py, counted by hand."""
    clara = make_curator(name="Clara Curator", email="clara@example.org")
    oscar = make_curator(name="Oscar Curator", email="oscar@example.org")
    admin = make_admin(name="Ada Admin", email="ada@example.org")
    supper = past_event(5, capacity=10, seats_taken=4)
    m1, m2 = member(300, curator=clara, email="m1@example.org"), member(300, curator=clara, email="m2@example.org")
    m3 = member(300, curator=clara, state=states.CANCELLING, email="m3@example.org")
    o1, o2 = member(300, curator=oscar, email="o1@example.org"), member(300, curator=oscar, email="o2@example.org")
    n1 = member(300, email="n1@example.org")
    for person in (m1, m2, m3):
        booking(supper, person, ATTENDED)
    booking(supper, n1, ATTENDED, rating=1)  # a low rating: at risk, with no curator
    # o1 and o2 never came (quiet since day 30); o1's sign is handled
    db.session.add(AtRiskFollowUp(member_id=o1.id, signal="no_evenings",
                                  fired_at=db.session.scalar(db.select(Membership.joined_at)
                                                             .where(Membership.user_id == o1.id)) + timedelta(days=30),
                                  handled_by_id=oscar.id, handled_at=utcnow()))
    request(m1, 10, answered_by=clara, hours_to_answer=2, state="in_progress")
    request(m1, 20, answered_by=clara, hours_to_answer=6, state="done")
    request(m2, 3)
    request(m2, 30, answered_by=clara, hours_to_answer=10, member_again_days_ago=9)
    request(o1, 70, answered_by=oscar, hours_to_answer=4, state="done")
    request(n1, 5, answered_by=admin, hours_to_answer=1, state="done")
    db.session.commit()
    return {"clara": clara, "oscar": oscar, "admin": admin, "m2": m2, "m3": m3, "o2": o2, "n1": n1}


def more_requests(n: int) -> None:
    """``n`` more curators, each with a member who asks, one who waits and one who is leaving."""
    for i in range(n):
        curator = make_curator(name=f"Curator {i}", email=f"curator{i}@example.org")
        asks = member(200, curator=curator, email=f"asks{i}@example.org")
        waits = member(200, curator=curator, email=f"waits{i}@example.org")
        member(200, curator=curator, state=states.CANCELLING, email=f"leaves{i}@example.org")
        request(asks, 4 + i % 30, answered_by=curator, hours_to_answer=1 + i, state="in_progress")
        request(waits, 8 + i % 30, member_again_days_ago=8)
        request(waits, 70 + i % 30, answered_by=curator, hours_to_answer=3, state="done")
        db.session.commit()
