"""The one way a membership changes state, and the start of one at approval."""
from __future__ import annotations

from flask import current_app

from club.core import audit
from club.core.signals import membership_changed
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.membership import Membership
from club.models.user import User


def change_membership_state(
    membership: Membership, new_state: str, *, actor: User | None = None, reason: str = "", **details
) -> bool:
    """Move a membership to ``new_state`` (checked), audit it and tell listeners. No commit.

    ``reason`` is a short code the software chooses ("invoice paid", "member cancelled"), never
    words a person typed: it goes into the audit log, which cannot be erased. An admin's words
    go on a ``club.membership.reasons`` record first, and its id comes here as ``reason_id``.
    Returns False when the membership was already in that state (nothing recorded).
    """
    old_state = membership.state
    if old_state == new_state:
        return False
    states.check_move(old_state, new_state)
    membership.state = new_state
    if new_state == states.ACTIVE and membership.joined_at is None:
        membership.joined_at = utcnow()
    if new_state == states.ACTIVE:
        membership.grace_until = None
    # The retention clock of a former member starts when the membership ends, and stops if they come back.
    membership.ended_at = utcnow() if new_state == states.ENDED else None
    audit.record(
        "membership.state_changed", actor=actor, subject=membership,
        user_id=membership.user_id, old=old_state, new=new_state, reason=reason, **details,
    )
    membership_changed.send(
        current_app._get_current_object(), membership=membership, old_state=old_state, new_state=new_state
    )
    return True


def start_membership(user: User, *, curator: User | None = None, actor: User | None = None) -> Membership:
    """An approved applicant gets a membership awaiting payment (or reuses their old one)."""
    membership = membership_of(user)
    if membership is None:
        membership = Membership(user_id=user.id, state=states.PENDING_PAYMENT, curator_id=curator.id if curator else None)
        db.session.add(membership)
        db.session.flush()
        audit.record("membership.created", actor=actor, subject=membership, user_id=user.id,
                     state=states.PENDING_PAYMENT)
    else:
        if curator is not None:
            membership.curator_id = curator.id
        change_membership_state(membership, states.PENDING_PAYMENT, actor=actor, reason="approved again")
    return membership
