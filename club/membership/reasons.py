"""Why an admin changed a membership, kept on a record of its own rather than in the audit log.

The audit log cannot be erased, so it holds ids and outcomes only; an admin's words (why a
membership was suspended, reinstated or made complimentary) are written here, the audit entry
names this record by ``reason_id``, and the member's erasure reaches the words.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from club.extensions import db
from club.models.membership import Membership, MembershipReason
from club.models.user import User

SUSPENDED = "suspended"
REINSTATED = "reinstated"
COMPLIMENTARY = "complimentary"
CHANGES = (SUSPENDED, REINSTATED, COMPLIMENTARY)
LABELS = {SUSPENDED: _l("Suspended"), REINSTATED: _l("Reinstated"), COMPLIMENTARY: _l("Complimentary")}


def label(change: str | None):
    """What the change is called on a page (a lazy string); an unknown code is shown as it is."""
    return LABELS.get(change or "", change or "")


def record_reason(membership: Membership, change: str, reason: str, actor: User | None) -> MembershipReason:
    """Write the admin's reason for ``change``; returns the record (flushed, so it has an id). No commit."""
    if change not in CHANGES:
        raise ValueError(f"unknown membership change {change!r}")
    record = MembershipReason(membership_id=membership.id, change=change, reason=(reason or "").strip() or None,
                              written_by_id=actor.id if actor is not None else None)
    db.session.add(record)
    db.session.flush()
    return record


def reasons_of(membership_id: int) -> list[MembershipReason]:
    """The reasons on record for a membership, oldest first."""
    return list(db.session.scalars(db.select(MembershipReason).where(MembershipReason.membership_id == membership_id)
                                   .order_by(MembershipReason.id)))
