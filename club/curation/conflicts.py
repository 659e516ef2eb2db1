"""Conflict of interest: whoever invited or endorsed an applicant does not score or decide that
application, and is not matched as that new member's curator. An admin may still decide, saying
why; the reason is kept on the decision. Pure: no database, no request.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from flask_babel import LazyString, lazy_gettext as _l

INVITED, ENDORSED = "invited", "endorsed"

# Why a curator may not score or decide, as the application page says it.
SCORE_REFUSALS = {
    INVITED: _l("You invited this applicant, so you do not score them: your word is already in their file."),
    ENDORSED: _l("You endorsed this applicant, so you do not score them: your word is already in their file."),
}
DECIDE_REFUSALS = {
    INVITED: _l("You invited this applicant, so another curator or an admin decides their application."),
    ENDORSED: _l("You endorsed this applicant, so another curator or an admin decides their application."),
}
ADMIN_NOTICES = {
    INVITED: _l("You invited this applicant. As an admin you may still decide, but say why it falls to you."),
    ENDORSED: _l("You endorsed this applicant. As an admin you may still decide, but say why it falls to you."),
}
REASON_NEEDED = _l("You vouched for this applicant: say why you decide it yourself rather than another curator.")


@dataclass(frozen=True)
class Vouchers:
    """Who vouched for an applicant: the member who invited them and the members who endorsed them."""

    inviter_id: int | None
    endorser_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, inviter_id: int | None, endorser_ids: Iterable[int] = ()) -> Vouchers:
        return cls(inviter_id, frozenset(endorser_ids))

    @property
    def ids(self) -> frozenset[int]:
        """Everyone who may not score, decide or be matched as this applicant's curator."""
        return self.endorser_ids | ({self.inviter_id} if self.inviter_id is not None else frozenset())


def conflict_of(person_id: int, vouchers: Vouchers) -> str | None:
    """``INVITED``, ``ENDORSED`` or None: how ``person_id`` vouched for the applicant (inviting first)."""
    if person_id == vouchers.inviter_id:
        return INVITED
    if person_id in vouchers.endorser_ids:
        return ENDORSED
    return None


@dataclass(frozen=True)
class DecisionCheck:
    """Whether a person may decide: ``refusal`` (may not at all) or ``reason_needed`` (an admin overriding)."""

    refusal: LazyString | None = None
    reason_needed: LazyString | None = None


def decision_check(conflict: str | None, *, is_admin: bool, reason: str | None) -> DecisionCheck:
    """A curator with a conflict may not decide; an admin with one may, with a reason."""
    if conflict is None:
        return DecisionCheck()
    if not is_admin:
        return DecisionCheck(refusal=DECIDE_REFUSALS[conflict])
    if not (reason or "").strip():
        return DecisionCheck(reason_needed=REASON_NEEDED)
    return DecisionCheck()
