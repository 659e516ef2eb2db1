"""What events hold about a person, and how it is erased (see ``club.core.erasure``)."""
from __future__ import annotations

from club.core import erasure
from club.core.erasure import Erasure
from club.events import proposals
from club.extensions import db
from club.models.events import EventFeedback


@erasure.person_eraser("event_feedback")
def erase_person(user_id: int, how: Erasure) -> None:
    """Feedback keeps its rating (the event's average stays) and loses its words."""
    db.session.execute(db.update(EventFeedback).where(EventFeedback.user_id == user_id).values(comment=""))


# Bookings are released when the membership ends (membership_changed); the rows stay for the
# events' attendance figures and hold no words of the person.
erasure.keep("bookings", "seats and attendance: ids and dates only")
erasure.keep("events", "the club's own events")
erasure.keep("event_tags", "which interests an event is about")
erasure.keep("event_invitations", "who was invited to an event: ids only")
erasure.keep("calendar_feed_keys", "a version number; kept so an old feed link never comes back to life")


@erasure.person_eraser("event_proposals")
def erase_proposals(user_id: int, how: Erasure) -> None:
    """A member's proposals lose their words (see ``club.events.proposals.erase_member``)."""
    proposals.erase_member(user_id)
# The ballot's rows stay so a draw can always be re-checked from its seed; they hold no words.
erasure.keep("ballots", "a ballot's window, seed and seats: the draw stays checkable")
erasure.keep("ballot_entries", "ids, party sizes, weights and drawn positions: the draw stays checkable")
erasure.keep("waitlist_offers", "seats offered from a waitlist: ids and dates only")
