"""What the membership itself holds about a person: only why they left (see ``club.core.erasure``).

The row stays (state, dates, plan: the books); the reason, written by the member, goes.
"""
from __future__ import annotations

from club.core import erasure
from club.core.erasure import Erasure
from club.extensions import db
from club.models.membership import Membership


@erasure.person_eraser("memberships")
def erase_leave_reason(user_id: int, how: Erasure) -> None:
    db.session.execute(db.update(Membership).where(Membership.user_id == user_id).values(leave_reason=None))
