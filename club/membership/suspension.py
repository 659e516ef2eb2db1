"""Suspension: an admin suspends a membership (the member is signed out everywhere) and later reinstates it.

Reinstating returns the membership to the state it was suspended from, as kept up to date by
billing meanwhile. Billing listens to ``membership_changed`` and lets time catch up (a grace or
paid period that ran out while suspended); this module knows nothing of billing.
"""
from __future__ import annotations

from flask_babel import gettext as _

from club.core.database import begin_write
from club.extensions import db
from club.membership import states
from club.membership.changes import change_membership_state
from club.membership.reasons import REINSTATED, SUSPENDED, record_reason
from club.models.membership import Membership
from club.models.user import User


class SuspensionError(Exception):
    """A suspension or reinstatement that cannot be done; the message is meant for the admin."""


def _locked(membership_id: int) -> Membership:
    """Re-read a membership inside the write transaction (row lock on PostgreSQL)."""
    return db.session.scalars(db.select(Membership).where(Membership.id == membership_id)
                              .with_for_update().execution_options(populate_existing=True)).one()


def suspend(membership_id: int, *, reason: str, actor: User) -> Membership:
    """Suspend the membership, remembering its state, and sign the member out everywhere. Commits."""
    begin_write()
    membership = _locked(membership_id)
    if membership.state == states.SUSPENDED:
        raise SuspensionError(_("This membership is already suspended."))
    if not states.can_move(membership.state, states.SUSPENDED):
        raise SuspensionError(_("An ended membership cannot be suspended."))
    membership.suspended_from = membership.state
    # The admin's words go on a record of their own; the audit log gets its id (club.membership.reasons).
    written = record_reason(membership, SUSPENDED, reason, actor)
    change_membership_state(membership, states.SUSPENDED, actor=actor, reason="suspended by an admin",
                            reason_id=written.id)
    membership.user.end_all_sessions()  # a suspended member is signed out everywhere
    db.session.commit()
    return membership


def reinstate(membership_id: int, *, reason: str, actor: User) -> Membership:
    """Lift the suspension: back to the state it was suspended from (or awaiting payment). Commits."""
    begin_write()
    membership = _locked(membership_id)
    if membership.state != states.SUSPENDED:
        raise SuspensionError(_("This membership is not suspended."))
    target = membership.suspended_from or states.PENDING_PAYMENT
    membership.suspended_from = None
    written = record_reason(membership, REINSTATED, reason, actor)
    # Listeners of membership_changed run here (billing's expiry: time may have run out while suspended).
    change_membership_state(membership, target, actor=actor, reason="reinstated by an admin", reason_id=written.id)
    db.session.commit()
    return membership
