"""Ballots for tests: an evening by ballot with entries, made directly (no mail), and drawn."""
from __future__ import annotations

from datetime import timedelta

from club.events import ballot_close
from club.extensions import db
from club.models.base import utcnow
from club.models.events import BALLOT_OPEN, Ballot, BallotEntry, Booking, WaitlistOffer
from tests.events.factories import make_event
from tests.factories import make_member


def make_ballot(event, closes_in: timedelta = timedelta(days=2)) -> Ballot:
    ballot = Ballot(event_id=event.id, state=BALLOT_OPEN, closes_at=utcnow() + closes_in)
    db.session.add(ballot)
    db.session.commit()
    return ballot


def add_entry(ballot: Ballot, user, guests: int = 0) -> BallotEntry:
    entry = BallotEntry(ballot_id=ballot.id, user_id=user.id, guests=guests)
    db.session.add(entry)
    db.session.commit()
    return entry


def drawn_evening(parties: list[int], capacity: int, seed: str = "fixed-seed", **event_kwargs):
    """An evening whose ballot is drawn: ``parties`` are the guests each entrant brings.
    Returns (event, ballot, members in entry order, the draw's outcome)."""
    event = make_event(capacity=capacity, max_guests=max(parties + [0]), **event_kwargs)
    ballot = make_ballot(event)
    members = [make_member() for _ in parties]
    for member, guests in zip(members, parties):
        add_entry(ballot, member, guests)
    ballot.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    outcome = ballot_close.draw_ballot(ballot.id, seed=seed)
    return event, ballot, members, outcome


def booking_of(event, user) -> Booking:
    db.session.commit()
    return db.session.scalars(db.select(Booking).where(Booking.event_id == event.id, Booking.user_id == user.id)
                              .execution_options(populate_existing=True)).one()


def offers_of(event) -> list[WaitlistOffer]:
    db.session.commit()
    return list(db.session.scalars(db.select(WaitlistOffer).where(WaitlistOffer.event_id == event.id)
                                   .order_by(WaitlistOffer.id).execution_options(populate_existing=True)))
