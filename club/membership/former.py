"""Former members: memberships that ended long enough ago for the person's data to be erased.

A membership that ended is a former member's until they come back (a new approval or payment
moves it out of ``ended`` and clears ``ended_at``), so someone who re-joined is never found here.
The retention purge (``club.curation.purge``) erases what is found through ``club.core.erasure``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from club.extensions import db
from club.membership import states
from club.models.membership import Membership
from club.models.user import User, UserRole


def is_past_retention(state: str, ended_at: datetime | None, cutoff: datetime) -> bool:
    """Pure rule: a membership is past retention when it is ended and ended before ``cutoff``."""
    return state == states.ENDED and ended_at is not None and ended_at < cutoff


@dataclass(frozen=True)
class FormerMember:
    user_id: int
    membership_id: int
    ended_at: datetime


def ended_before(cutoff: datetime) -> list[FormerMember]:
    """Former members whose membership ended before ``cutoff`` and whose account still names them.

    Staff are left out (their accounts are closed by the admin, not erased), as are accounts
    already erased. Oldest first.
    """
    staff = db.select(UserRole.user_id)
    rows = db.session.execute(
        db.select(Membership.user_id, Membership.id, Membership.ended_at)
        .join(User, User.id == Membership.user_id)
        .where(Membership.state == states.ENDED, Membership.ended_at.is_not(None), Membership.ended_at < cutoff,
               User.deleted_at.is_(None), Membership.user_id.not_in(staff))
        .order_by(Membership.ended_at, Membership.id)).all()
    return [FormerMember(*row) for row in rows]
