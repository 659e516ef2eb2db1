"""Evenings by ballot: staff open a ballot window on an evening; members with access enter (with
their guests, as one party) or withdraw until the close; then one weighted draw seats the parties
(``club.events.ballot_close``). Booking waits while the ballot is open (``club.events.ballot_state``).

Entering and withdrawing happen under the event's lock, like booking: a double submit makes one
entry (one row per member and ballot, reused when they enter again).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _, ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from club.core import audit, settings
from club.core.database import write_transaction
from club.core.pagination import Page, paginate
from club.events import rules
from club.events.booking import lock_event
from club.events.errors import EventError, EventNotFound
from club.events.offers import held_seats, open_offer_for
from club.events.visibility import may_see, staff_event
from club.extensions import db
from club.membership.access import has_member_access
from club.models.base import utcnow
from club.models.events import (ACTIVE_BOOKING_STATES, BALLOT_OPEN, ENTRY_ENTERED, ENTRY_WITHDRAWN, EVENT_CANCELLED,
                                EVENT_PUBLISHED, Ballot, BallotEntry, Booking, Event, WaitlistOffer)
from club.models.user import User

ENTRIES_PER_PAGE = 50


@dataclass
class BallotPanel:
    """What the event page shows of its ballot to the person looking."""

    ballot: Ballot | None
    entry: BallotEntry | None  # the viewer's entry (any state)
    offer: WaitlistOffer | None  # the viewer's open offer of seats
    window_open: bool  # entries are taken now
    may_enter: bool

    @property
    def blocks_booking(self) -> bool:
        return self.ballot is not None and self.ballot.state == BALLOT_OPEN

    @property
    def entered(self) -> bool:
        return self.entry is not None and self.entry.state == ENTRY_ENTERED


def panel_for(user: User | None, event: Event, now: datetime | None = None) -> BallotPanel:
    """The ballot part of an event page: three queries at most, whatever the number of entries."""
    now = now or utcnow()
    ballot = db.session.scalar(select(Ballot).where(Ballot.event_id == event.id))
    if ballot is None or user is None or not user.is_authenticated:
        return BallotPanel(ballot, None, None, False, False)
    entry = db.session.scalar(select(BallotEntry).where(BallotEntry.ballot_id == ballot.id,
                                                        BallotEntry.user_id == user.id))
    offer = open_offer_for(user, event.id)
    window = ballot.state == BALLOT_OPEN and now < ballot.closes_at and event.state == EVENT_PUBLISHED
    may_enter = window and (entry is None or entry.state == ENTRY_WITHDRAWN) and has_member_access(user)
    return BallotPanel(ballot, entry, offer, window, may_enter)


# Staff ------------------------------------------------------------------------------------------

@dataclass
class BallotPage:
    event: Event
    ballot: Ballot | None
    entries: Page[BallotEntry] | None
    parties: int
    people: int
    held: int


def ballot_page(user: User | None, event_id: int, page: int = 1) -> BallotPage:
    """The staff's page of an evening's ballot: entries a page at a time, in drawn order once drawn."""
    event = staff_event(user, event_id)
    ballot = db.session.scalar(select(Ballot).where(Ballot.event_id == event.id))
    if ballot is None:
        return BallotPage(event, None, None, 0, 0, 0)
    parties, people = db.session.execute(
        select(func.count(), func.coalesce(func.sum(1 + BallotEntry.guests), 0))
        .where(BallotEntry.ballot_id == ballot.id, BallotEntry.state != ENTRY_WITHDRAWN)).one()
    query = (select(BallotEntry).where(BallotEntry.ballot_id == ballot.id)
             .options(selectinload(BallotEntry.user))
             .order_by(BallotEntry.position.is_(None), BallotEntry.position, BallotEntry.entered_at, BallotEntry.id))
    return BallotPage(event, ballot, paginate(query, page=page, per_page=ENTRIES_PER_PAGE), parties, people,
                      held_seats(event.id))


def closes_at_local(ballot: Ballot) -> datetime:
    """The close as a wall-clock time in the club's zone, for the form."""
    return ballot.closes_at.astimezone(ZoneInfo(settings.get("timezone"))).replace(tzinfo=None)


def open_ballot(actor: User, event_id: int, closes_at: datetime) -> Ballot:
    """Open the evening by ballot, closing at ``closes_at``; or move the close of a ballot still open.
    Only before anyone has booked: a ballot shares out all the seats."""
    staff_event(actor, event_id)
    now = utcnow()
    with write_transaction():
        event = lock_event(event_id)
        if event.state == EVENT_CANCELLED:
            raise EventError(_("This event has been called off and can no longer be changed."))
        if closes_at <= now:
            raise EventError(_("The ballot must close in the future."), "closes_at")
        if closes_at >= event.starts_at:
            raise EventError(_("The ballot must close before the evening starts."), "closes_at")
        ballot = db.session.scalar(select(Ballot).where(Ballot.event_id == event.id))
        if ballot is not None and ballot.state != BALLOT_OPEN:
            raise EventError(_("The draw has been made; the ballot is closed."))
        if ballot is None:
            booked = db.session.scalar(select(func.count()).select_from(Booking).where(
                Booking.event_id == event.id, Booking.state.in_(ACTIVE_BOOKING_STATES)))
            if booked:
                raise EventError(ngettext(
                    "%(num)d member has already booked or is waiting; a ballot must open before booking does.",
                    "%(num)d members have already booked or are waiting; a ballot must open before booking does.",
                    booked))
            ballot = Ballot(event_id=event.id, state=BALLOT_OPEN, closes_at=closes_at, opened_by_id=actor.id)
            db.session.add(ballot)
            db.session.flush()
            audit.record("event.ballot_opened", actor=actor, subject=ballot, event_id=event.id, closes_at=closes_at)
        elif ballot.closes_at != closes_at:
            ballot.closes_at = closes_at
            audit.record("event.ballot_changed", actor=actor, subject=ballot, event_id=event.id, closes_at=closes_at)
        db.session.commit()
        return ballot


# Members ----------------------------------------------------------------------------------------

def _open_ballot_for(user: User, event_id: int) -> tuple[Event, Ballot, datetime]:
    """Under the event's lock: the event, its open ballot and now, or the reason why not."""
    event = lock_event(event_id)
    if event is None or not may_see(user, event):
        raise EventNotFound()
    ballot = db.session.scalar(select(Ballot).where(Ballot.event_id == event.id))
    if ballot is None:
        raise EventNotFound()
    now = utcnow()
    if event.state != EVENT_PUBLISHED:
        raise EventError(_("This event has been called off.") if event.state == EVENT_CANCELLED
                         else _("This event is not open for booking yet."))
    if ballot.state != BALLOT_OPEN or now >= ballot.closes_at:
        raise EventError(_("The ballot has closed."))
    return event, ballot, now


def enter(user: User, event_id: int, guests: int) -> str:
    """Enter the ballot for the member and ``guests``: "entered", or "already" (a double submit)."""
    with write_transaction():
        event, ballot, now = _open_ballot_for(user, event_id)
        if not has_member_access(user):
            raise EventError(_("Booking is for members. Staff without a membership manage events instead."))
        if not rules.guests_allowed(guests, event.max_guests):
            raise EventError(ngettext("You may bring up to %(num)d guest.", "You may bring up to %(num)d guests.",
                                      event.max_guests)
                             if event.max_guests else _("This event is for members only, without guests."), "guests")
        entry = db.session.scalar(select(BallotEntry).where(BallotEntry.ballot_id == ballot.id,
                                                            BallotEntry.user_id == user.id))
        if entry is not None and entry.state == ENTRY_ENTERED:
            db.session.rollback()
            return "already"
        if entry is None:
            entry = BallotEntry(ballot_id=ballot.id, user_id=user.id)
            db.session.add(entry)
        entry.state, entry.guests, entry.entered_at, entry.withdrawn_at = ENTRY_ENTERED, guests, now, None
        db.session.flush()
        audit.record("event.ballot_entered", actor=user, subject=entry, event_id=event.id, party=1 + guests)
        db.session.commit()
        return "entered"


def withdraw(user: User, event_id: int) -> None:
    """Take the member's entry out of the ballot, until the close."""
    with write_transaction():
        event, ballot, now = _open_ballot_for(user, event_id)
        entry = db.session.scalar(select(BallotEntry).where(BallotEntry.ballot_id == ballot.id,
                                                            BallotEntry.user_id == user.id))
        if entry is None or entry.state != ENTRY_ENTERED:
            raise EventError(_("You have not entered this ballot."))
        entry.state, entry.withdrawn_at = ENTRY_WITHDRAWN, now
        audit.record("event.ballot_withdrawn", actor=user, subject=entry, event_id=event.id)
        db.session.commit()
