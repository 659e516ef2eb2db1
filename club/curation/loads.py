"""Curators' loads and the match of a new member to a curator (the rule itself is ``matching``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import and_, func, select

from club.core import settings
from club.curation import matching
from club.extensions import db
from club.membership import states
from club.models.curation import CuratorProfile
from club.models.membership import MemberProfile, Membership
from club.models.user import ROLE_CURATOR, User, UserRole

# Memberships that take a curator's time; ended, lapsed and suspended ones do not.
LOAD_STATES = (states.PENDING_PAYMENT, states.ACTIVE, states.PAST_DUE, states.CANCELLING)


def curator_loads() -> dict[int, int]:
    return dict(db.session.execute(
        select(Membership.curator_id, func.count()).where(Membership.curator_id.is_not(None),
                                                           Membership.state.in_(LOAD_STATES))
        .group_by(Membership.curator_id)).all())


@dataclass
class CuratorSummary:
    user: User
    profile: CuratorProfile | None
    capacity: int
    load: int

    @property
    def has_room(self) -> bool:
        return self.load < self.capacity


def curators() -> list[CuratorSummary]:
    """Every curator with their capacity and current load (three queries)."""
    default_capacity = int(settings.get("curator_capacity"))
    rows = db.session.execute(
        select(User, CuratorProfile).join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == ROLE_CURATOR))
        .outerjoin(CuratorProfile, CuratorProfile.user_id == User.id)
        .where(User.deleted_at.is_(None)).order_by(User.full_name, User.id)).all()
    loads = curator_loads()
    return [CuratorSummary(user, profile, profile.capacity if profile and profile.capacity else default_capacity,
                           loads.get(user.id, 0)) for user, profile in rows]


def match_curator(profile: MemberProfile | None, exclude_user_id: int | None = None,
                  vouchers: Iterable[int] = ()) -> matching.Match | None:
    """The curator for a new member: never the member themself, nor anyone who vouched for them."""
    newcomer = matching.Newcomer.of(profile.interests if profile else (), profile.languages if profile else (),
                                    profile.city if profile else None)
    candidates = [
        matching.Candidate.of(c.user.id, c.capacity, c.load,
                              c.profile.interests if c.profile else (), c.profile.languages if c.profile else (),
                              c.profile.city if c.profile else None)
        for c in curators()
    ]
    excluded = frozenset(vouchers) | ({exclude_user_id} if exclude_user_id is not None else frozenset())
    return matching.choose_curator(newcomer, candidates, excluded=excluded)
