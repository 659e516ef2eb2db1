"""Leaving the club: ending the membership, and deleting the account with its personal data.

Deleting keeps what the club must keep, anonymised: the user row (so payments and the audit
log still point somewhere), the membership row, payments, the audit log, consent records and
request rows without their text. Everything that names or describes the person is erased.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l

from club.core import audit, erasure
from club.core.mail import send_mail
from club.core.passwords import verify_password
from club.core.signals import account_deleted
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.membership.changes import change_membership_state
from club.models.base import utcnow
from club.models.user import User

FORMER_NAME = "Former member"


class LeavingError(Exception):
    """Refused; the message is safe to show. ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def may_cancel(user: User) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.state in (states.ACTIVE, states.PAST_DUE)


def leave_club(user: User, reason: str = "") -> str:
    """Cancel the membership the way its payment kind allows; returns what will happen, in a sentence.

    Stripe memberships run to the end of the paid period; offline and complimentary ones end
    now or at their end date (billing decides). Bookings after the end are released by events
    when the membership loses access.
    """
    if not may_cancel(user):
        raise LeavingError(_("Your membership is not one that can be cancelled now."))
    from club.billing.cancellation import cancel_membership
    from club.billing.errors import BillingError

    try:
        outcome = cancel_membership(user, actor=user, reason="member cancelled")
    except BillingError as exc:
        raise LeavingError(str(exc)) from exc
    reason = (reason or "").strip()[:2000]
    if reason:
        membership_of(user).leave_reason = reason
        db.session.commit()
    return outcome


def delete_account(user: User, password: str) -> None:
    """Erase the member's personal data after checking their password. The caller logs them out."""
    if not verify_password(user.password_hash, password or ""):
        raise LeavingError(_("That password is not right."), field="password")
    if user.is_staff:
        raise LeavingError(_("Staff accounts are closed by the admin: ask them to remove your role first."))
    user_id, name, email, language = user.id, user.full_name, user.email, user.language
    membership = membership_of(user)
    if membership is not None:
        # Billing deletes the member's Stripe customer, whatever the state: its subscriptions end
        # at once (no renewal, no retry of a failed payment) and Stripe forgets the name and
        # email. If Stripe cannot be reached we stop here rather than erase someone it may charge.
        from club.billing.cancellation import close_at_stripe
        from club.billing.errors import BillingError

        try:
            close_at_stripe(user)
        except BillingError as exc:
            raise LeavingError(_("We could not stop your payments just now (%(problem)s). Please try again shortly.",
                                  problem=str(exc))) from exc
    if membership is not None and membership.state != states.ENDED:
        # A deleted account cannot wait for the period end: access ends now, and events
        # releases the bookings on the state change.
        change_membership_state(membership, states.ENDED, actor=user, reason="account deleted")
    erasure.erase_person(user_id, erasure.Erasure(now=utcnow(), why="deleted", name=FORMER_NAME))
    # Erasure is done by the erasers each feature registers; the signal is for anything else
    # that wants to react to a deletion.
    account_deleted.send(current_app._get_current_object(), user_id=user_id)
    audit.record("account.deleted", actor=user, subject=user)
    # Sent to the address we just erased, after the commit: the last thing we ever send them.
    send_mail(email, _l("Your account is deleted"), "member_deleted", language=language, name=name)
    db.session.commit()

