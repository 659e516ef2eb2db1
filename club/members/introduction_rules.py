"""An introduction's states and moves, and what each person may see of one. Pure rules.

A member asks their curator to introduce them to a named member (asking counts as their own
acceptance), or a curator proposes an introduction between two members. Both sides must accept
before either sees the other's contact details::

    proposed ──accept──▶ accepted_by_one ──accept──▶ made
       │                      │
       ├──decline─────────────┴──▶ declined     (either side; nobody is told who, or why)
       └──withdraw────────────┴──▶ withdrawn    (the asker, a side that accepted, or staff)
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l, lazy_pgettext

PROPOSED = "proposed"
ACCEPTED_BY_ONE = "accepted_by_one"
MADE = "made"
DECLINED = "declined"
WITHDRAWN = "withdrawn"

OPEN = frozenset({PROPOSED, ACCEPTED_BY_ONE})
CLOSED = frozenset({MADE, DECLINED, WITHDRAWN})
STATES = (PROPOSED, ACCEPTED_BY_ONE, MADE, DECLINED, WITHDRAWN)

ASKED = "asked"        # by a member, through their curator
PROPOSED_BY_STAFF = "proposed"

A, B = "a", "b"

# What staff read in their list. A refusal shows as "did not happen", as to members: nobody
# learns which side declined, or that anyone declined rather than withdrew.
STAFF_LABELS = {
    PROPOSED: _l("Waiting for both"),
    ACCEPTED_BY_ONE: _l("Accepted by one side"),
    MADE: lazy_pgettext("introduction", "Introduced"),
    DECLINED: _l("Did not happen"),
    WITHDRAWN: _l("Did not happen"),
}


class InvalidIntroductionMove(ValueError):
    """The move is not possible from the introduction's state."""


def pair(first_id: int, second_id: int) -> tuple[int, int]:
    """The pair in the order it is stored (the smaller id is side a)."""
    if first_id == second_id:
        raise InvalidIntroductionMove("an introduction needs two people")
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def side_of(member_a_id: int, member_b_id: int, user_id: int) -> str | None:
    if user_id == member_a_id:
        return A
    if user_id == member_b_id:
        return B
    return None


def state_after_acceptances(a_accepted: bool, b_accepted: bool) -> str:
    if a_accepted and b_accepted:
        return MADE
    return ACCEPTED_BY_ONE if a_accepted or b_accepted else PROPOSED


def accept(state: str, a_accepted: bool, b_accepted: bool, side: str) -> str:
    """The state once ``side`` accepts; refused when closed or already accepted by that side."""
    if state not in OPEN:
        raise InvalidIntroductionMove(f"cannot accept a {state} introduction")
    if (a_accepted if side == A else b_accepted):
        raise InvalidIntroductionMove("this side has accepted already")
    return state_after_acceptances(a_accepted or side == A, b_accepted or side == B)


def decline(state: str, side_accepted: bool) -> str:
    """A side that has not accepted says no; the introduction is over."""
    if state not in OPEN or side_accepted:
        raise InvalidIntroductionMove(f"cannot decline a {state} introduction")
    return DECLINED


def withdraw(state: str) -> str:
    if state not in OPEN:
        raise InvalidIntroductionMove(f"cannot withdraw a {state} introduction")
    return WITHDRAWN


def waits_for(state: str, side_accepted: bool) -> bool:
    """Whether a side still has to answer."""
    return state in OPEN and not side_accepted


def shows_contact(state: str) -> bool:
    """Contact details are shown to the two sides only once both accepted."""
    return state == MADE


def may_withdraw(state: str, *, is_side: bool, side_accepted: bool, is_staff_in_charge: bool) -> bool:
    """The asker (a side that accepted) may take it back while it is open, and so may staff in charge."""
    return state in OPEN and ((is_side and side_accepted) or is_staff_in_charge)
