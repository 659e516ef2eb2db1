"""Demo events: a few evenings over the next weeks, one nearly full, one by invitation only.

The walkthrough this supports: member@demo.club books the nearly full supper (it fills),
second@demo.club joins its waitlist, and when member@demo.club cancels, second@demo.club is
promoted and mailed (see the outbox).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from club.auth.service import create_account
from club.core import settings
from club.events.proposal_demo import seed_proposals
from club.extensions import db
from club.membership import states
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.membership import MemberProfile, Membership
from club.models.events import (ATTENDED, BOOKING_CONFIRMED, EVENT_PUBLISHED, INVITE_ONLY, Booking, Event,
                                EventInvitation)

# Made-up members who fill the nearly full supper: (email, name, guests).
FILLERS = [
    ("iris.vale@demo.club", "Iris Vale", 1),
    ("oscar.pemberton@demo.club", "Oscar Pemberton", 1),
    ("nadia.kowal@demo.club", "Nadia Kowal", 0),
    ("felix.arden@demo.club", "Felix Arden", 1),
    ("ruth.okafor@demo.club", "Ruth Okafor", 0),
    ("henry.saito@demo.club", "Henry Saito", 1),
    ("clara.belmont@demo.club", "Clara Belmont", 0),
]  # 7 members + 4 guests = 11 seats


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    zone = ZoneInfo(settings.get("timezone"))
    day = (utcnow().astimezone(zone) + timedelta(days=days)).date()
    return datetime.combine(day, time(hour, minute), zone).astimezone(timezone.utc)


def seed_demo(people: dict) -> None:
    curator, member = people["curator"], people["member"]
    tags = {t.name: t for t in db.session.scalars(db.select(InterestTag))}
    now = utcnow()

    def event(title, days, hour, hours, venue, address, capacity, tag_names, description, **extra):
        e = Event(title=title, description=description, starts_at=_at(days, hour), ends_at=_at(days, hour) +
                  timedelta(hours=hours), venue_name=venue, venue_address=address, capacity=capacity,
                  seats_taken=0, host_id=curator.id, created_by_id=curator.id, state=EVENT_PUBLISHED,
                  published_at=now, tags=[tags[n] for n in tag_names if n in tags], **extra)
        db.session.add(e)
        return e

    supper = event(
        "Supper at the Long Table", 6, 19, 3, "The Linden Room", "14 Mercer Street, London WC2H 9QE", 12,
        ["cooking", "wine"],
        "Twelve seats, one table, five courses from chef Anaïs Morel, each paired with a wine from a small "
        "grower she knows personally.\n\nCome hungry. Dietary needs: tell your curator by the Friday before.\n\n"
        "The menu is on https://example.org/long-table-menu",
        max_guests=1, cancel_cutoff_hours=48)
    event("Reading Room: The Rings of Saturn", 10, 18, 2, "The Library", "14 Mercer Street, London WC2H 9QE", 20,
          ["books", "philosophy"],
          "An evening with W. G. Sebald's walk along the Suffolk coast. Read what you can; we will read aloud "
          "the passages that matter.\n\nTea, and something stronger later.", max_guests=0, cancel_cutoff_hours=24)
    event("Modernism on foot: Bloomsbury squares", 16, 10, 3, "Meet at Russell Square fountain",
          "Russell Square, London WC1B 5BE", 16, ["architecture", "design"],
          "A slow walk through four squares and two houses not usually open, with architect Tom Achebe.",
          max_guests=1, cancel_cutoff_hours=24)
    event("Listening session: Late Beethoven quartets", 23, 20, 2, "The Music Room",
          "14 Mercer Street, London WC2H 9QE", 24, ["music"],
          "Op. 131 on a very good system, in the dark, with a short introduction beforehand.",
          max_guests=2, cancel_cutoff_hours=12)
    private_view = event(
        "Private view: new work by Lena Hart", 13, 18, 2, "Whitcombe Gallery",
        "3 Cork Street, London W1S 3LQ", 10, ["art", "design"],
        "A first look before the opening, with the artist. By invitation of the owner.",
        max_guests=1, cancel_cutoff_hours=24, visibility=INVITE_ONLY)
    past = event("Wine of the Loire: a tasting", -5, 19, 2, "The Cellar", "14 Mercer Street, London WC2H 9QE", 18,
                 ["wine"], "Chenin blanc in six styles, from bone dry to sweet.", max_guests=0,
                 cancel_cutoff_hours=24)
    db.session.flush()

    private_view.invitations.append(EventInvitation(user_id=member.id, invited_by_id=curator.id))
    db.session.add(Booking(event_id=past.id, user_id=member.id, state=BOOKING_CONFIRMED, guests=0,
                           queued_at=now - timedelta(days=12), confirmed_at=now - timedelta(days=12),
                           attendance=ATTENDED, checked_in_at=past.starts_at))
    past.seats_taken = 1

    for n, (email, name, guests) in enumerate(FILLERS):
        user = create_account(email, name, None)
        db.session.add(Membership(user_id=user.id, state=states.ACTIVE, kind="complimentary", curator_id=curator.id,
                                  approved_at=now - timedelta(days=200), joined_at=now - timedelta(days=200)))
        db.session.add(MemberProfile(user_id=user.id, city="London", interests=["cooking", "wine"]))
        booked = now - timedelta(days=9, hours=-n)
        db.session.add(Booking(event_id=supper.id, user_id=user.id, state=BOOKING_CONFIRMED, guests=guests,
                               queued_at=booked, confirmed_at=booked))
        supper.seats_taken += 1 + guests
    db.session.flush()
    seed_proposals(people)
