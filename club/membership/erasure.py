"""What the membership itself holds about a person: why they left, and admins' reasons for changing
it (see ``club.core.erasure``).

The rows stay (state, dates, plan, which change was made when and by whom: the books); the words,
written by the member or by an admin about them, go.
"""
from __future__ import annotations

from club.core import erasure
from club.core.erasure import Erasure
from club.extensions import db
from club.models.membership import Membership, MembershipReason


@erasure.person_eraser("memberships")
def erase_leave_reason(user_id: int, how: Erasure) -> None:
    db.session.execute(db.update(Membership).where(Membership.user_id == user_id).values(leave_reason=None))


@erasure.person_eraser("membership_reasons")
def erase_admins_reasons(user_id: int, how: Erasure) -> None:
    """Why an admin suspended, reinstated or comped the person: the record stays, the words go."""
    theirs = db.select(Membership.id).where(Membership.user_id == user_id).scalar_subquery()
    db.session.execute(db.update(MembershipReason).where(MembershipReason.membership_id.in_(theirs))
                       .values(reason=None))


erasure.keep("ambassadorships", "who was an ambassador and when, and which admin named them: ids and dates, no words")
