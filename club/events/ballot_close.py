"""The close of a ballot: the weighted draw, the bookings it makes, the audit entry and the mails;
and re-checking a draw from its recorded seed.

``draw_due`` runs from the periodic job (and ``flask draw-ballots``): it draws every open ballot
whose window has ended. Each draw claims its ballot with a conditional UPDATE (open → drawn) under
the event's lock, so two runs at the same moment draw once. The draw itself is the pure function
in ``club.events.ballot_draw``; the seed, the free seats and each entry's weight and drawn position
are stored, so ``recheck`` recomputes it and compares.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from club.core import audit, settings
from club.core.database import write_transaction
from club.core.mail import send_mail
from club.events import ballot_draw
from club.events.booking import lock_event
from club.events.links import event_link
from club.extensions import db
from club.membership.access import open_to
from club.membership.ambassadors import current_ambassadors
from club.models.base import utcnow
from club.models.events import (BALLOT_DRAWN, BALLOT_OPEN, BOOKING_CONFIRMED, BOOKING_WAITLISTED, ENTRY_ENTERED,
                                ENTRY_SEATED, ENTRY_VOID, ENTRY_WAITLISTED, EVENT_PUBLISHED, Ballot, BallotEntry,
                                Booking, Event)
from club.models.membership import Membership


@dataclass
class DrawOutcome:
    ballot_id: int
    seed: str
    seats: int
    seated: list[int]  # entry ids
    waitlist: list[int]  # entry ids, in drawn order
    void: list[int]


def weights_setting() -> ballot_draw.Weights:
    return ballot_draw.Weights(
        new_member_bonus=float(settings.get("ballot_bonus_new_member")),
        per_loss_bonus=float(settings.get("ballot_bonus_per_loss")),
        max_losses_counted=int(settings.get("ballot_max_losses_counted")),
        ambassador_bonus=float(settings.get("ballot_bonus_ambassador")))


def entrant_weights(user_ids: list[int], now: datetime) -> dict[int, float]:
    """Each entrant's weight at the close: new members, recent losers and ambassadors weigh more.
    Three queries, whatever the number of entrants."""
    if not user_ids:
        return {}
    new_since = now - timedelta(days=int(settings.get("ballot_new_member_days")))
    joined = dict(db.session.execute(select(Membership.user_id, Membership.joined_at)
                                     .where(Membership.user_id.in_(user_ids))).all())
    window = now - timedelta(days=int(settings.get("ballot_loss_window_days")))
    losses = dict(db.session.execute(
        select(BallotEntry.user_id, func.count()).join(Ballot, Ballot.id == BallotEntry.ballot_id)
        .where(BallotEntry.user_id.in_(user_ids), BallotEntry.state == ENTRY_WAITLISTED,
               Ballot.drawn_at >= window).group_by(BallotEntry.user_id)).all())
    ambassadors = current_ambassadors(user_ids)
    weights = weights_setting()
    return {uid: ballot_draw.entry_weight(
        weights, is_new_member=joined.get(uid) is not None and joined[uid] >= new_since,
        recent_losses=losses.get(uid, 0), is_ambassador=uid in ambassadors) for uid in user_ids}


def draw_due(now: datetime | None = None) -> int:
    """Draw every open ballot whose window has ended. Safe to run often and in parallel."""
    now = now or utcnow()
    due = list(db.session.scalars(select(Ballot.id).where(Ballot.state == BALLOT_OPEN, Ballot.closes_at <= now)
                                  .order_by(Ballot.closes_at, Ballot.id)))
    db.session.commit()
    return sum(1 for ballot_id in due if draw_ballot(ballot_id, now) is not None)


def draw_ballot(ballot_id: int, now: datetime | None = None, seed: str | None = None,
                actor=None) -> DrawOutcome | None:
    """Close one ballot and draw it; None when it was already drawn (another run won the claim).
    ``actor``: the staff member who drew it early, from the ballot's page."""
    now = now or utcnow()
    event_id = db.session.scalar(select(Ballot.event_id).where(Ballot.id == ballot_id))
    if event_id is None:
        return None
    with write_transaction():
        event = lock_event(event_id)
        claimed = db.session.execute(update(Ballot).where(Ballot.id == ballot_id, Ballot.state == BALLOT_OPEN)
                                     .values(state=BALLOT_DRAWN, drawn_at=now)
                                     .execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            return None
        ballot = db.session.scalars(select(Ballot).where(Ballot.id == ballot_id)
                                    .execution_options(populate_existing=True)).one()
        entries = list(db.session.scalars(
            select(BallotEntry).where(BallotEntry.ballot_id == ballot_id, BallotEntry.state == ENTRY_ENTERED)
            .options(selectinload(BallotEntry.user)).order_by(BallotEntry.id)))
        memberships = {m.user_id: m for m in db.session.scalars(
            select(Membership).where(Membership.user_id.in_([e.user_id for e in entries])))}
        live = event.state == EVENT_PUBLISHED and event.starts_at > now
        valid = [e for e in entries if live and open_to(memberships.get(e.user_id))]
        void = [e for e in entries if e not in valid]
        for entry in void:
            entry.state = ENTRY_VOID
        weights = entrant_weights([e.user_id for e in valid], now)
        for entry in valid:
            entry.weight = weights[entry.user_id]
        seats = max(event.capacity - event.seats_taken, 0)
        ballot.seed = seed or secrets.token_hex(16)
        ballot.seats = seats
        result = ballot_draw.draw([ballot_draw.Entry(e.id, e.party_size, e.weight) for e in valid], seats, ballot.seed)
        _seat(event, valid, result, now)
        audit.record("event.ballot_drawn", actor=actor, subject=ballot, event_id=event.id, seed=ballot.seed, seats=seats,
                     seated=result.seated, waitlist=result.waitlist, void=[e.id for e in void])
        _mail_results(event, valid, result)
        db.session.commit()
        return DrawOutcome(ballot_id, ballot.seed, seats, result.seated, result.waitlist, [e.id for e in void])


def _seat(event: Event, entries: list[BallotEntry], result: ballot_draw.DrawResult, now: datetime) -> None:
    """Each entry's position and outcome, and a booking for each party: confirmed, or waitlisted in
    the drawn order (``queued_at`` a microsecond apart, so the waitlist keeps that order)."""
    by_id = {e.id: e for e in entries}
    seated = set(result.seated)
    existing = {b.user_id: b for b in db.session.scalars(select(Booking).where(
        Booking.event_id == event.id, Booking.user_id.in_([e.user_id for e in entries])))}
    for position, entry_id in enumerate(result.order, start=1):
        entry = by_id[entry_id]
        entry.position = position
        entry.state = ENTRY_SEATED if entry_id in seated else ENTRY_WAITLISTED
        booking = existing.get(entry.user_id)
        if booking is None:
            booking = Booking(event_id=event.id, user_id=entry.user_id)
            db.session.add(booking)
        booking.guests = entry.guests
        booking.queued_at = now + timedelta(microseconds=position)
        booking.cancelled_at = booking.attendance = booking.checked_in_at = None
        booking.reminder_sent_at = booking.feedback_requested_at = None
        booking.state = BOOKING_CONFIRMED if entry_id in seated else BOOKING_WAITLISTED
        booking.confirmed_at = now if entry_id in seated else None
    taken = sum(by_id[i].party_size for i in result.seated)
    db.session.flush()
    if taken:
        db.session.execute(update(Event).where(Event.id == event.id)
                           .values(seats_taken=Event.seats_taken + taken).execution_options(synchronize_session=False))
        db.session.refresh(event, attribute_names=["seats_taken"])


def _mail_results(event: Event, entries: list[BallotEntry], result: ballot_draw.DrawResult) -> None:
    """Everyone who entered is told their result, in their language."""
    by_id = {e.id: e for e in entries}
    link = event_link(event)
    for entry_id in result.seated:
        user = by_id[entry_id].user
        send_mail(user.email, _l("The ballot is drawn: a seat is yours at %(title)s", title=event.title),
                  "ballot_seated", language=user.language, user=user, event=event, entry=by_id[entry_id], link=link)
    for place, entry_id in enumerate(result.waitlist, start=1):
        user = by_id[entry_id].user
        send_mail(user.email, _l("The ballot is drawn: %(title)s", title=event.title), "ballot_waitlisted",
                  language=user.language, user=user, event=event, entry=by_id[entry_id], place=place, link=link)


def recheck(ballot_id: int) -> bool:
    """Recompute a drawn ballot from its seed, seats and the entries' recorded weights and party
    sizes, and compare with what was recorded: True when they agree."""
    ballot = db.session.get(Ballot, ballot_id)
    if ballot is None or ballot.state != BALLOT_DRAWN or ballot.seed is None:
        return False
    drawn = list(db.session.scalars(select(BallotEntry).where(
        BallotEntry.ballot_id == ballot_id, BallotEntry.position.is_not(None)).order_by(BallotEntry.position)))
    result = ballot_draw.draw([ballot_draw.Entry(e.id, e.party_size, e.weight) for e in drawn],
                              ballot.seats or 0, ballot.seed)
    return (result.order == [e.id for e in drawn]
            and ballot_draw.matches(result, seated=[e.id for e in drawn if e.state == ENTRY_SEATED],
                                    waitlist=[e.id for e in drawn if e.state == ENTRY_WAITLISTED]))


def ballot_id_for(event_id: int) -> int | None:
    return db.session.scalar(select(Ballot.id).where(Ballot.event_id == event_id))
