"""Seats offered from the waitlist of a ballot evening, for a limited time.

When seats free up on an evening that was by ballot, ``offer_free_seats`` offers them to the first
waiting parties that fit (``rules.parties_to_promote``), by mail with a link, and holds them: the
held seats count in ``seats_taken`` until the offer is answered. Accepting confirms the booking;
declining, or letting the offer lapse (``expire_offers``, a periodic job), gives up the place on
the waitlist and the seats go to the next party that fits.

Every change happens under the event's lock (``club.events.booking.lock_event``), and answering is
a conditional UPDATE on ``state = 'open'``: an offer is accepted, declined or expired once, and the
capacity check constraint still guards the room. Other evenings keep instant promotion.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from club.core import audit, settings
from club.core.database import write_transaction
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.events import rules
from club.events.booking import lock_event
from club.events.errors import EventError, EventNotFound
from club.events.links import event_link
from club.extensions import db
from club.models.base import utcnow
from club.models.events import (BOOKING_CANCELLED, BOOKING_CONFIRMED, BOOKING_RELEASED, BOOKING_WAITLISTED,
                                EVENT_PUBLISHED, OFFER_ACCEPTED, OFFER_DECLINED, OFFER_EXPIRED, OFFER_OPEN, OFFER_VOID,
                                Booking, Event, WaitlistOffer)
from club.models.user import User


def offer_link(offer: WaitlistOffer) -> str:
    return public_url_for("events.offer", event_id=offer.event_id, offer_id=offer.id)


def _add_seats(event: Event, seats: int) -> None:
    """A relative UPDATE of the seat count (the row is locked), and the event refreshed."""
    if not seats:
        return
    db.session.flush()
    db.session.execute(update(Event).where(Event.id == event.id).values(seats_taken=Event.seats_taken + seats)
                       .execution_options(synchronize_session=False))
    db.session.refresh(event, attribute_names=["seats_taken"])


def _close(offer_id: int, state: str, now: datetime, *conditions) -> bool:
    """Move an open offer to ``state``; False when it was no longer open (someone else answered)."""
    result = db.session.execute(update(WaitlistOffer).where(WaitlistOffer.id == offer_id,
                                                            WaitlistOffer.state == OFFER_OPEN, *conditions)
                                .values(state=state, answered_at=now).execution_options(synchronize_session=False))
    return result.rowcount == 1


def offer_free_seats(event: Event, now: datetime) -> list[WaitlistOffer]:
    """Offer the free seats to the first waiting parties that fit. The event row is locked."""
    db.session.flush()
    db.session.refresh(event, attribute_names=["seats_taken"])  # the count as written, however it was changed
    stale = db.session.execute(
        select(WaitlistOffer.id, WaitlistOffer.seats).join(Booking, Booking.id == WaitlistOffer.booking_id)
        .where(WaitlistOffer.event_id == event.id, WaitlistOffer.state == OFFER_OPEN,
               Booking.state != BOOKING_WAITLISTED)).all()
    for offer_id, seats in stale:  # the party left the waitlist: its held seats come back
        if _close(offer_id, OFFER_VOID, now):
            _add_seats(event, -seats)
    if event.state != EVENT_PUBLISHED or event.starts_at <= now:
        return []
    offered = select(WaitlistOffer.booking_id).where(WaitlistOffer.event_id == event.id,
                                                     WaitlistOffer.state == OFFER_OPEN)
    waiting = list(db.session.scalars(
        select(Booking).where(Booking.event_id == event.id, Booking.state == BOOKING_WAITLISTED,
                              Booking.id.not_in(offered))
        .options(selectinload(Booking.user)).order_by(Booking.queued_at, Booking.id)))
    chosen = set(rules.parties_to_promote(event.capacity - event.seats_taken,
                                          [(b.id, b.party_size) for b in waiting]))
    expires = min(now + timedelta(hours=int(settings.get("waitlist_offer_hours"))), event.starts_at)
    offers = []
    for booking in (b for b in waiting if b.id in chosen):
        offer = WaitlistOffer(event_id=event.id, booking_id=booking.id, seats=booking.party_size, state=OFFER_OPEN,
                              offered_at=now, expires_at=expires)
        db.session.add(offer)
        _add_seats(event, booking.party_size)
        offers.append(offer)
        audit.record("event.offer_made", subject=offer, event_id=event.id, booking_id=booking.id,
                     seats=booking.party_size)
        send_mail(booking.user.email, _l("A seat is offered to you: %(title)s", title=event.title),
                  "waitlist_offer", language=booking.user.language, user=booking.user, event=event,
                  booking=booking, offer=offer, link=offer_link(offer))
    return offers


def open_offer_for(user: User, event_id: int) -> WaitlistOffer | None:
    """The member's open offer for this evening, if any (one query)."""
    return db.session.scalars(
        select(WaitlistOffer).join(Booking, Booking.id == WaitlistOffer.booking_id)
        .where(WaitlistOffer.event_id == event_id, WaitlistOffer.state == OFFER_OPEN, Booking.user_id == user.id)
    ).first()


def offer_for(user: User, event_id: int, offer_id: int) -> WaitlistOffer:
    """An offer of this member's, whatever its state; anyone else's answers 404."""
    offer = db.session.scalars(
        select(WaitlistOffer).join(Booking, Booking.id == WaitlistOffer.booking_id)
        .where(WaitlistOffer.id == offer_id, WaitlistOffer.event_id == event_id, Booking.user_id == user.id)
        .options(selectinload(WaitlistOffer.booking).selectinload(Booking.event))).first()
    if offer is None:
        raise EventNotFound()
    return offer


def _answer(user: User, event_id: int, offer_id: int) -> tuple[Event, WaitlistOffer, datetime]:
    offer_for(user, event_id, offer_id)  # 404 for anyone else's
    event = lock_event(event_id)
    offer = db.session.scalars(select(WaitlistOffer).where(WaitlistOffer.id == offer_id)
                               .execution_options(populate_existing=True)).one()
    return event, offer, utcnow()


def accept_offer(user: User, event_id: int, offer_id: int) -> Booking:
    """The member takes the offered seats: their booking is confirmed. Once, even when two
    requests (or an accept and the expiry job) arrive at the same instant."""
    with write_transaction():
        event, offer, now = _answer(user, event_id, offer_id)
        if event.state != EVENT_PUBLISHED or event.starts_at <= now:
            raise EventError(_("This offer is no longer open."))
        if not _close(offer.id, OFFER_ACCEPTED, now, WaitlistOffer.expires_at > now):
            raise EventError(_("This offer is no longer open."))
        booking = db.session.scalars(select(Booking).where(Booking.id == offer.booking_id)
                                     .execution_options(populate_existing=True)).one()
        booking.state = BOOKING_CONFIRMED
        booking.confirmed_at = now
        audit.record("event.offer_accepted", actor=user, subject=offer, event_id=event.id, booking_id=booking.id)
        send_mail(user.email, _l("Booked: %(title)s", title=event.title), "event_booked", language=user.language,
                  user=user, event=event, booking=booking, link=event_link(event))
        db.session.commit()
        return booking


def decline_offer(user: User, event_id: int, offer_id: int) -> None:
    """The member gives up the offer and their place on the waitlist; the seats go to the next party."""
    with write_transaction():
        event, offer, now = _answer(user, event_id, offer_id)
        if not _close(offer.id, OFFER_DECLINED, now):
            raise EventError(_("This offer is no longer open."))
        booking = db.session.scalars(select(Booking).where(Booking.id == offer.booking_id)
                                     .execution_options(populate_existing=True)).one()
        booking.state, booking.cancelled_at = BOOKING_CANCELLED, now
        _add_seats(event, -offer.seats)
        audit.record("event.offer_declined", actor=user, subject=offer, event_id=event.id, booking_id=booking.id)
        offer_free_seats(event, now)
        db.session.commit()


def expire_offers(now: datetime | None = None) -> int:
    """Close the offers whose time ran out, release those parties' places and offer the seats on.
    A periodic job; each event in its own short transaction, so overlapping runs expire once."""
    now = now or utcnow()
    event_ids = sorted(set(db.session.scalars(select(WaitlistOffer.event_id).where(
        WaitlistOffer.state == OFFER_OPEN, WaitlistOffer.expires_at <= now))))
    db.session.commit()
    expired = 0
    for event_id in event_ids:
        with write_transaction():
            event = lock_event(event_id)
            due = list(db.session.scalars(
                select(WaitlistOffer).where(WaitlistOffer.event_id == event_id, WaitlistOffer.state == OFFER_OPEN,
                                            WaitlistOffer.expires_at <= now)
                .options(selectinload(WaitlistOffer.booking).selectinload(Booking.user))
                .execution_options(populate_existing=True)))
            for offer in due:
                if not _close(offer.id, OFFER_EXPIRED, now, WaitlistOffer.expires_at <= now):
                    continue
                booking = offer.booking
                if booking.state == BOOKING_WAITLISTED:
                    booking.state, booking.cancelled_at = BOOKING_RELEASED, now
                _add_seats(event, -offer.seats)
                audit.record("event.offer_expired", subject=offer, event_id=event_id, booking_id=booking.id)
                if event.state == EVENT_PUBLISHED and event.starts_at > now:
                    send_mail(booking.user.email, _l("The offered seat has passed on: %(title)s", title=event.title),
                              "waitlist_offer_lapsed", language=booking.user.language, user=booking.user,
                              event=event, link=event_link(event))
                expired += 1
            offer_free_seats(event, now)
            db.session.commit()
    return expired


def held_seats(event_id: int) -> int:
    """Seats held by open offers (counted in ``seats_taken``), for the staff's figures."""
    return db.session.scalar(select(func.coalesce(func.sum(WaitlistOffer.seats), 0)).where(
        WaitlistOffer.event_id == event_id, WaitlistOffer.state == OFFER_OPEN)) or 0
