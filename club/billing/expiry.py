"""Time running out: a past-due member's grace ends, an offline or complimentary period ends.

Checked lazily (the billing page), nightly (``expire_due`` from sync-billing) and when a
suspension is lifted (``expire_on_reinstatement``, a receiver of ``membership_changed``).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import joinedload

from club.billing import rules
from club.core.database import begin_write
from club.extensions import db
from club.membership import states
from club.membership.changes import change_membership_state
from club.models.base import utcnow
from club.models.membership import Membership


def expire_if_due(membership: Membership, now: datetime) -> str | None:
    """Move a membership whose time is up (grace ended, offline period over). No commit."""
    if rules.grace_expired(membership.state, membership.grace_until, now):
        change_membership_state(membership, states.LAPSED, reason="grace period ended",
                                grace_until=membership.grace_until)
        return states.LAPSED
    target = rules.offline_period_over(membership.kind, membership.state, membership.current_period_end, now)
    if target is not None:
        change_membership_state(membership, target, reason=f"{membership.kind} period ended",
                                period_end=membership.current_period_end)
        return target
    return None


def expire_due(now: datetime | None = None) -> list[str]:
    """Lapse past-due members whose grace ended and close offline/complimentary periods that ended."""
    now = now or utcnow()
    begin_write()
    due = db.session.scalars(
        db.select(Membership).options(joinedload(Membership.user)).where(db.or_(
            db.and_(Membership.state == states.PAST_DUE, Membership.grace_until <= now),
            db.and_(Membership.kind.in_(("offline", "complimentary")),
                    Membership.state.in_((states.ACTIVE, states.CANCELLING)),
                    Membership.current_period_end <= now),
        )).order_by(Membership.id).with_for_update(of=Membership)
    ).all()
    lines = []
    for membership in due:
        old = membership.state
        new = expire_if_due(membership, now)
        if new:
            lines.append(f"membership {membership.id} ({membership.user.email}): {old} -> {new}")
    db.session.commit()
    return lines


def expire_on_reinstatement(_sender, *, membership: Membership, old_state: str, new_state: str, **_kw) -> None:
    """Receiver of ``membership_changed``: time may have run out while the member was suspended. No commit."""
    if old_state == states.SUSPENDED:
        expire_if_due(membership, utcnow())
