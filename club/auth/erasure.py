"""The account row of an erased person (see ``club.core.erasure``).

The row stays, so payments and the audit log keep pointing somewhere; what names the person goes,
and every session of theirs ends.
"""
from __future__ import annotations

from sqlalchemy import delete

from club.core import erasure
from club.core.erasure import Erasure
from club.extensions import db
from club.models.auth import RecoveryCode, SecondFactor
from club.models.user import User


@erasure.person_eraser("users")
def erase_account(user_id: int, how: Erasure) -> None:
    user = db.session.get(User, user_id)
    if user is None:
        return
    user.email = how.placeholder_email(user.id)
    user.full_name = how.name
    user.password_hash = None
    user.deleted_at = how.now
    user.end_all_sessions()


@erasure.person_eraser("second_factors", "recovery_codes")
def erase_second_factor(user_id: int, how: Erasure) -> None:
    """The authenticator's secret and the recovery codes go with the account."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id))


erasure.keep("user_roles", "staff roles; a person with a role cannot delete their account")
