"""Members invite: the quarterly quota, sending and revoking invites, the invites page, the cool-down.

Other features call ``invites_left`` and ``start_reinvite_cooldown``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import func

from club.applications import rules
from club.applications.endorsements import pending_endorsement_requests
from club.applications.errors import NotYours
from club.applications.invite_links import invitation_token
from club.applications.referrals import InviteRow, invite_row, referrals_of
from club.auth.service import find_user_by_email, normalize_email
from club.core import audit, settings
from club.core.database import write_transaction
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.core.templating import format_local
from club.core.tokens import keyed_hash
from club.extensions import db
from club.membership.access import has_member_access
from club.models.applications import Application, EmailCooldown, Endorsement, Invitation
from club.models.base import utcnow
from club.models.user import User

COOLDOWN_PURPOSE = "reinvite-cooldown"

# One answer for every reason an email is already taken (an account, an open invite from
# someone else, an open application, a rejection cool-down): the member learns it cannot be
# invited, and nothing about what that person did or is.
REFUSED_KNOWN = _l("This email cannot be invited: the club already knows it, as a member, an applicant, "
                   "someone with an open invitation, or from an earlier application. To protect that "
                   "person's privacy the club does not say which. If you think they should be invited, "
                   "speak to a curator.")
# Inviting is a member's act: a curator or admin role alone does not give it (DESIGN: Endorsements).
MEMBERS_ONLY = _l("Only members whose membership is active invite people to the club. A curator's or an admin's "
                  "role does not give an invitation; a member who knows the person invites them.")
REFUSED_OWN_OPEN = _l("You have already invited this email and the invite is still open; it is in your list below. "
                      "Revoke it first if you want to send a new one.")


class InviteRefused(Exception):
    """A member may not send this invite; the message is safe to show to them."""


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.get("timezone"))


def _invites_used_this_quarter(user_id: int, now: datetime) -> int:
    start = rules.quarter_start(now, _zone())
    return db.session.scalar(
        db.select(func.count()).select_from(Invitation)
        .where(Invitation.inviter_id == user_id, Invitation.created_at >= start, Invitation.revoked_at.is_(None))
    ) or 0


def invites_left(user: User) -> int:
    """How many invites ``user`` may still send this quarter."""
    return rules.invites_left(settings.get("invite_quota"), _invites_used_this_quarter(user.id, utcnow()))


def _lock_member(user_id: int) -> None:
    # PostgreSQL: serialise use cases on this row. SQLite: begin_write() already holds the write lock.
    db.session.execute(db.select(User).where(User.id == user_id).with_for_update()).first()


def _cooldown_hash(email: str) -> str:
    return keyed_hash(normalize_email(email), COOLDOWN_PURPOSE)


def _email_is_known(email: str, now: datetime) -> bool:
    if find_user_by_email(email) is not None:
        return True
    open_invite = db.session.scalar(db.select(Invitation.id).where(
        Invitation.email == email, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None),
        Invitation.expires_at > now).limit(1))
    if open_invite is not None:
        return True
    open_application = db.session.scalar(db.select(Application.id).where(
        Application.email == email, Application.state.in_(rules.OPEN_APPLICATION_STATES)).limit(1))
    if open_application is not None:
        return True
    cooldown = db.session.get(EmailCooldown, _cooldown_hash(email))
    return cooldown is not None and cooldown.until > now


def send_invitation(inviter: User, email: str, note: str | None = None) -> Invitation:
    """Invite ``email`` on behalf of ``inviter`` and mail them the link."""
    with write_transaction():
        _lock_member(inviter.id)  # one member's invites are counted one request at a time
        if not has_member_access(inviter):
            raise InviteRefused(MEMBERS_ONLY)
        email = normalize_email(email)
        now = utcnow()
        if invites_left(inviter) <= 0:
            next_start = rules.add_months(rules.quarter_start(now, _zone()), 3)
            raise InviteRefused(ngettext(
                "You have used your %(num)d invite of this quarter. Revoking an unused invite gives it back; "
                "new ones come on %(date)s.",
                "You have used all %(num)d invites of this quarter. Revoking an unused invite gives it back; "
                "new ones come on %(date)s.",
                settings.get("invite_quota"), date=format_local(next_start, "long_date")))
        own_open = db.session.scalar(db.select(Invitation.id).where(
            Invitation.inviter_id == inviter.id, Invitation.email == email, Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None), Invitation.expires_at > now).limit(1))
        if own_open is not None:
            raise InviteRefused(REFUSED_OWN_OPEN)
        if _email_is_known(email, now):
            raise InviteRefused(REFUSED_KNOWN)
        note = (note or "").strip() or None
        invitation = Invitation(inviter_id=inviter.id, email=email, note=note, created_at=now,
                                expires_at=now + timedelta(days=settings.get("invite_ttl_days")))
        db.session.add(invitation)
        db.session.flush()
        link = public_url_for("applications.apply", token=invitation_token(invitation))
        # To someone without an account: in the language of the page the member invites from.
        send_mail(email, _l("%(name)s invites you to apply", name=inviter.full_name), "invite_sent", inviter=inviter,
                  note=note, link=link, expires_at=invitation.expires_at)
        audit.record("invitation.sent", actor=inviter, subject=invitation)
        db.session.commit()
    return invitation


def revoke_invitation(member: User, invitation_id: int) -> Invitation:
    """Withdraw an unused invite; it no longer counts against the member's quota."""
    with write_transaction():
        invitation = db.session.get(Invitation, invitation_id)
        if invitation is None or invitation.inviter_id != member.id:
            raise NotYours()
        now = utcnow()
        if invitation.used_at is not None:
            raise InviteRefused(_("This invite has been used to apply, so it can no longer be revoked."))
        if invitation.revoked_at is None:
            if now >= invitation.expires_at:
                raise InviteRefused(_("This invite has expired already; there is nothing to revoke."))
            invitation.revoked_at = now
            audit.record("invitation.revoked", actor=member, subject=invitation)
        db.session.commit()
    return invitation


@dataclass
class InvitesPage:
    quota: int
    left: int
    renews_on: datetime
    invites: list[InviteRow]
    requests: list[Endorsement]


def invites_page(member: User) -> InvitesPage:
    now = utcnow()
    sent = referrals_of(member)
    return InvitesPage(
        quota=settings.get("invite_quota"),
        left=invites_left(member),
        renews_on=rules.add_months(rules.quarter_start(now, _zone()), 3),
        invites=[invite_row(inv, now) for inv in sent],
        requests=pending_endorsement_requests(member),
    )


def start_reinvite_cooldown(email: str) -> None:
    """A rejected applicant cannot be invited again until the cool-down ends (no commit).

    Only a keyed hash of the email is kept, so the refusal survives the erasure of their data.
    """
    until = rules.add_months(utcnow(), settings.get("reinvite_cooldown_months"))
    key = _cooldown_hash(email)
    row = db.session.get(EmailCooldown, key)
    if row is None:
        db.session.add(EmailCooldown(email_hash=key, until=until))
    else:
        row.until = max(row.until, until)
