"""The member's home page, gathered in one use case."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from club.members import introductions, onboarding, request_states, suggestions
from club.membership import states
from club.members.requests_service import member_requests, open_curator_change
from club.membership.access import membership_of
from club.members.welcome import checklist_for
from club.curation.profiles import CuratorCard, curator_card
from club.models.membership import Membership
from club.models.user import User
from club.models.members import CuratorRequest

UPCOMING_LIMIT = 5
RECOMMENDED_LIMIT = 3


@dataclass
class MemberHome:
    user: User
    membership: Membership
    has_access: bool
    state_label: str
    billing: Any = None  # club.billing.summary's BillingSummary: state label, dates and the action it needs
    curator: User | None = None
    curator_profile: CuratorCard | None = None
    checklist: onboarding.Checklist | None = None
    bookings: list = field(default_factory=list)
    recommended: list = field(default_factory=list)
    invites_left: int | None = None
    endorsement_requests: list = field(default_factory=list)
    live_requests: list[CuratorRequest] = field(default_factory=list)
    curator_change_pending: bool = False
    people_to_meet: list = field(default_factory=list)  # club.members.suggestions' Suggestions
    introductions_waiting: int = 0  # introductions waiting for this member's answer
    voice: Any = None  # club.announcements.home's ClubVoice: announcements, mission, rules, the month


def home_for(user: User) -> MemberHome | None:
    """Everything /me shows; None for people without a membership.

    A member without access (awaiting payment, lapsed, suspended, ended) sees only their state
    and what to do about it; the rest of the club is closed to them.
    """
    membership = membership_of(user)
    if membership is None:
        return None
    home = MemberHome(user=user, membership=membership, has_access=states.has_access(membership.state),
                      state_label=states.LABELS.get(membership.state, membership.state),
                      billing=billing_for(user))
    # Their curator, with or without access: an approved member awaiting payment meets them first.
    home.curator = membership.curator
    if home.curator is not None:
        home.curator_profile = curator_card(home.curator.id)
    if not home.has_access:
        return home
    from club.applications.endorsements import pending_endorsement_requests
    from club.applications.invites import invites_left
    from club.events.booking import upcoming_bookings_for
    from club.events.listing import recommended_events_for

    checklist = checklist_for(user)
    home.checklist = None if checklist.done else checklist
    home.bookings = upcoming_bookings_for(user, limit=UPCOMING_LIMIT)
    home.recommended = recommended_events_for(user, limit=RECOMMENDED_LIMIT)
    home.invites_left = invites_left(user)
    home.endorsement_requests = pending_endorsement_requests(user)
    home.live_requests = [r for r in member_requests(user) if r.state in request_states.LIVE]
    home.curator_change_pending = open_curator_change(user) is not None
    home.people_to_meet = suggestions.people_to_meet(user)
    home.introductions_waiting = introductions.waiting_count(user)
    from club.announcements.home import voice_for

    home.voice = voice_for(user)
    return home


def billing_for(user: User):
    """Billing's summary of the membership: state, renewal or end date, and the action it needs."""
    from club.billing.summary import billing_summary

    return billing_summary(user)
