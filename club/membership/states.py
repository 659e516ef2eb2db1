"""Membership states and the moves between them. Pure rules: no database, no request.

pending_payment → active (paid or complimentary) → past_due (payment failed; access during the
grace period) → lapsed (no access). active + cancel → cancelling (access until period end) →
ended. The admin can suspend from any live state and reinstate to the state held before.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

PENDING_PAYMENT = "pending_payment"
ACTIVE = "active"
PAST_DUE = "past_due"
LAPSED = "lapsed"
CANCELLING = "cancelling"
ENDED = "ended"
SUSPENDED = "suspended"

ALL_STATES = (PENDING_PAYMENT, ACTIVE, PAST_DUE, LAPSED, CANCELLING, ENDED, SUSPENDED)
ACCESS_STATES = frozenset({ACTIVE, CANCELLING, PAST_DUE})

# What a person reads for each state: lazy strings, in the reader's language when shown.
LABELS = {
    PENDING_PAYMENT: _l("Awaiting payment"),
    ACTIVE: _l("Active"),
    PAST_DUE: _l("Payment failed"),
    LAPSED: _l("Lapsed"),
    CANCELLING: _l("Ends at period end"),
    ENDED: _l("Ended"),
    SUSPENDED: _l("Suspended"),
}


def label(code: str | None):
    """The state's label for a person (a lazy string); an unknown code is shown as it is."""
    return LABELS.get(code or "", code or "")

ALLOWED = {
    PENDING_PAYMENT: {ACTIVE, ENDED, SUSPENDED},
    ACTIVE: {PAST_DUE, CANCELLING, LAPSED, ENDED, SUSPENDED},
    PAST_DUE: {ACTIVE, LAPSED, CANCELLING, ENDED, SUSPENDED},
    CANCELLING: {ACTIVE, ENDED, PAST_DUE, LAPSED, SUSPENDED},
    LAPSED: {ACTIVE, PAST_DUE, ENDED, SUSPENDED, PENDING_PAYMENT},
    ENDED: {ACTIVE, PENDING_PAYMENT},
    SUSPENDED: {PENDING_PAYMENT, ACTIVE, PAST_DUE, CANCELLING, LAPSED, ENDED},
}


class InvalidTransition(ValueError):
    pass


def has_access(state: str | None) -> bool:
    return state in ACCESS_STATES


def grants_access(state: str | None, grace_until: datetime | None, now: datetime) -> bool:
    """Access right now: a past-due member keeps it only until their grace period ends.

    The nightly sync moves such members to lapsed; this keeps the door shut in between.
    """
    if not has_access(state):
        return False
    return not (state == PAST_DUE and grace_until is not None and grace_until <= now)


def can_move(current: str, new: str) -> bool:
    return current == new or new in ALLOWED.get(current, set())


def check_move(current: str, new: str) -> None:
    if not can_move(current, new):
        raise InvalidTransition(f"a membership cannot go from {current} to {new}")


def loses_access(current: str, new: str) -> bool:
    return has_access(current) and not has_access(new)
