"""Whether an evening is by ballot, for the booking code: one small query each, no other import
of the ballot's modules (they import ``club.events.booking``, not the other way round)."""
from __future__ import annotations

from sqlalchemy import select

from club.extensions import db
from club.models.events import BALLOT_OPEN, Ballot


def ballot_state(event_id: int) -> str | None:
    """The event's ballot's state ("open" until the draw, then "drawn"), or None: not by ballot."""
    return db.session.scalar(select(Ballot.state).where(Ballot.event_id == event_id))


def booking_waits_for_ballot(event_id: int) -> bool:
    """Booking is closed while the ballot is open (members enter instead) and until it is drawn."""
    return ballot_state(event_id) == BALLOT_OPEN
