"""Members' own evenings in the demo club: second@demo.club's proposal waits for the curators, and
member@demo.club hosts an evening the curators approved (she sees its door list)."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from club.core import settings
from club.extensions import db
from club.models.base import utcnow
from club.models.events import (EVENT_PUBLISHED, PROPOSAL_APPROVED, PROPOSAL_PROPOSED, VISIBLE_TO_MEMBERS, Event,
                                EventProposal)


def _at(days: int, hour: int) -> datetime:
    zone = ZoneInfo(settings.get("timezone"))
    day = (utcnow().astimezone(zone) + timedelta(days=days)).date()
    return datetime.combine(day, time(hour), zone).astimezone(timezone.utc)


def seed_proposals(people: dict) -> None:
    curator, member, second = people["curator"], people["member"], people["second"]
    now = utcnow()
    db.session.add(EventProposal(
        member_id=second.id, state=PROPOSAL_PROPOSED, title="Sailing stories by the river",
        description="Three members who crossed the Channel under sail tell how it went, with charts and a "
                    "little rum.\n\nFor anyone curious about the sea, sailor or not.",
        starts_at=_at(34, 19), ends_at=_at(34, 21), venue_name="The Boathouse", venue_address="Putney Embankment",
        capacity=14, max_guests=1, decline_reason="", created_at=now - timedelta(days=2)))
    words = dict(title="Bookshops of Bloomsbury: a slow walk",
                 description="Four independent bookshops in an afternoon, with a stop for tea. Bring a list.",
                 starts_at=_at(27, 14), ends_at=_at(27, 17), venue_name="Meet at Russell Square station",
                 venue_address="Bernard Street, London WC1N 1LJ", capacity=10, max_guests=1)
    event = Event(state=EVENT_PUBLISHED, visibility=VISIBLE_TO_MEMBERS, host_id=member.id, created_by_id=curator.id,
                  seats_taken=0, cancel_cutoff_hours=24, published_at=now - timedelta(days=5), **words)
    db.session.add(event)
    db.session.flush()
    db.session.add(EventProposal(member_id=member.id, state=PROPOSAL_APPROVED, decline_reason="", event_id=event.id,
                                 decided_by_id=curator.id, decided_at=now - timedelta(days=5),
                                 created_at=now - timedelta(days=8), **words))
