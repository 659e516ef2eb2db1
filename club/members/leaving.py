"""Leaving the club: ending the membership, and deleting the account with its personal data.

Deleting keeps what the club must keep, anonymised: the user row (so payments and the audit
log still point somewhere), the membership row, payments, the audit log, consent records and
request rows without their text. Everything that names or describes the person is erased.
"""
from __future__ import annotations

from flask import current_app

from club.applications.service import erase_application
from club.core import audit
from club.core.mail import send_mail
from club.core.signals import account_deleted
from club.core.passwords import verify_password
from club.extensions import db
from club.members import photos
from club.membership import states
from club.membership.access import membership_of
from club.membership.changes import change_membership_state
from club.models.applications import Application, Endorsement, Invitation
from club.models.base import utcnow
from club.models.membership import MemberProfile
from club.models.user import User
from club.models.members import CuratorChangeRequest, CuratorRequest, RequestMessage

FORMER_NAME = "Former member"
ERASED_TEXT = ""


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
        raise LeavingError("Your membership is not one that can be cancelled now.")
    from club.billing.service import BillingError, cancel_membership

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
        raise LeavingError("That password is not right.", field="password")
    if user.is_staff:
        raise LeavingError("Staff accounts are closed by the admin: ask them to remove your role first.")
    user_id, name, email = user.id, user.full_name, user.email
    membership = membership_of(user)
    if membership is not None and membership.state != states.ENDED:
        if membership.state in (states.ACTIVE, states.PAST_DUE):
            # Stops the subscription through billing so no further payment is taken; if the
            # payment provider cannot be reached we stop here rather than erase a paying member.
            from club.billing.service import BillingError, cancel_membership

            try:
                cancel_membership(user, actor=user, reason="account deleted")
            except BillingError as exc:
                raise LeavingError(f"We could not stop your payments just now ({exc}). Please try again shortly.") from exc
            membership = membership_of(user) or membership
        # A deleted account cannot wait for the period end: access ends now, and events
        # releases the bookings on the state change.
        change_membership_state(membership, states.ENDED, actor=user, reason="account deleted")
    _erase(user)
    account_deleted.send(current_app._get_current_object(), user_id=user_id)
    audit.record("account.deleted", actor=user, subject=user)
    # Sent to the address we just erased, after the commit: the last thing we ever send them.
    send_mail(email, "Your account is deleted", "member_deleted", name=name)
    db.session.commit()


def _erase(user: User) -> None:
    now = utcnow()
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.full_name = FORMER_NAME
    user.password_hash = None
    user.deleted_at = now
    user.end_all_sessions()

    membership = membership_of(user)
    if membership is not None:
        membership.leave_reason = None
    profile = db.session.get(MemberProfile, user.id)
    if profile is not None:
        photos.delete(profile.photo_filename)
        for column in ("city", "occupation", "company", "bio", "photo_filename"):
            setattr(profile, column, None)
        profile.interests, profile.languages, profile.links = [], [], []
        profile.directory_listed, profile.directory_fields = False, []

    for application in db.session.scalars(db.select(Application).where(Application.user_id == user.id)):
        erase_application(application, name=FORMER_NAME, now=now)
    db.session.execute(db.update(Endorsement).where(Endorsement.endorser_id == user.id)
                       .values(statement=None))
    db.session.execute(db.update(Invitation).where(Invitation.inviter_id == user.id).values(note=None))

    # The member's threads are about the member: both sides' words go, the rows (and their
    # dates, for the curators' workload figures) stay.
    thread_ids = db.select(CuratorRequest.id).where(CuratorRequest.member_id == user.id).scalar_subquery()
    db.session.execute(db.update(RequestMessage).where(RequestMessage.request_id.in_(thread_ids))
                       .values(body=ERASED_TEXT, erased_at=now))
    db.session.execute(db.update(CuratorRequest).where(CuratorRequest.member_id == user.id,
                                                       CuratorRequest.state != "done")
                       .values(state="done", closed_at=now, updated_at=now))
    db.session.execute(db.update(CuratorChangeRequest).where(CuratorChangeRequest.member_id == user.id)
                       .values(reason=ERASED_TEXT, state="done", resolved_at=now))
