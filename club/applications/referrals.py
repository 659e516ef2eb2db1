"""The referral tree: what became of each invite a member sent, who brought whom, and the referrers.

Members see their own invites (``referrals_of``, ``invite_row``); curators and admins see the
tree of one person and everyone who has invited someone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from club.applications import rules
from club.applications.errors import NotYours
from club.extensions import db
from club.membership import states as membership_states
from club.models.applications import Application, Invitation
from club.models.base import utcnow
from club.models.membership import Membership
from club.models.user import User


@dataclass
class InviteRow:
    invitation: Invitation
    state: str
    can_revoke: bool

    @property
    def label(self) -> str:
        return rules.INVITE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return rules.INVITE_BADGES.get(self.state, "")


def invite_row(invitation: Invitation, now: datetime) -> InviteRow:
    """An invite as its member sees it: its state, and whether it may still be revoked."""
    state = rules.invite_state(
        now=now, expires_at=invitation.expires_at, opened_at=invitation.opened_at, used_at=invitation.used_at,
        revoked_at=invitation.revoked_at,
        application_state=invitation.application.state if invitation.application is not None else None)
    can_revoke = rules.invite_is_open(now=now, expires_at=invitation.expires_at, used_at=invitation.used_at,
                                      revoked_at=invitation.revoked_at)
    return InviteRow(invitation, state, can_revoke)


def referrals_of(user: User) -> list[Invitation]:
    """Every invite ``user`` sent, newest first, with the application each led to loaded."""
    return list(db.session.scalars(
        db.select(Invitation).where(Invitation.inviter_id == user.id)
        .options(selectinload(Invitation.application))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))


@dataclass
class Referral:
    invitation: Invitation
    state: str
    label: str
    person: User | None  # the applicant's account, once they applied
    membership_state: str | None
    referred_count: int

    @property
    def membership_label(self) -> str | None:
        """The membership's state as a person reads it (its label), or None before there is one."""
        if self.membership_state is None:
            return None
        return membership_states.LABELS.get(self.membership_state, self.membership_state)


@dataclass
class ReferralTree:
    person: User
    brought_in_by: User | None
    referrals: list[Referral]


def referral_tree(user_id: int) -> ReferralTree:
    """Whom this person brought in, and what became of each (for curators and admins)."""
    person = db.session.get(User, user_id)
    if person is None:
        raise NotYours()
    now = utcnow()
    invitations = list(db.session.scalars(
        db.select(Invitation).where(Invitation.inviter_id == person.id)
        .options(selectinload(Invitation.application).selectinload(Application.user))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))
    people_ids = [inv.application.user_id for inv in invitations
                  if inv.application is not None and inv.application.user_id is not None]
    memberships: dict[int, str] = {}
    counts: dict[int, int] = {}
    if people_ids:
        memberships = dict(db.session.execute(
            db.select(Membership.user_id, Membership.state).where(Membership.user_id.in_(people_ids))).all())
        counts = dict(db.session.execute(
            db.select(Invitation.inviter_id, func.count()).where(Invitation.inviter_id.in_(people_ids))
            .group_by(Invitation.inviter_id)).all())
    brought_in_by = db.session.scalars(
        db.select(User).join(Invitation, Invitation.inviter_id == User.id)
        .join(Application, Application.invitation_id == Invitation.id)
        .where(Application.user_id == person.id).limit(1)
    ).first()
    referrals = []
    for inv in invitations:
        row = invite_row(inv, now)
        applicant = inv.application.user if inv.application is not None else None
        referrals.append(Referral(
            invitation=inv, state=row.state, label=row.label, person=applicant,
            membership_state=memberships.get(applicant.id) if applicant is not None else None,
            referred_count=counts.get(applicant.id, 0) if applicant is not None else 0))
    return ReferralTree(person=person, brought_in_by=brought_in_by, referrals=referrals)


@dataclass
class Referrer:
    person: User
    sent: int
    applied: int
    approved: int


def referrers() -> list[Referrer]:
    """Everyone who has invited someone, with how their invitations turned out."""
    rows = db.session.execute(
        db.select(Invitation.inviter_id, func.count(Invitation.id), func.count(Application.id),
                  func.count(Application.id).filter(Application.state == rules.APPROVED))
        .outerjoin(Application, Application.invitation_id == Invitation.id)
        .group_by(Invitation.inviter_id)
    ).all()
    people = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_([r[0] for r in rows])))}
    result = [Referrer(people[r[0]], r[1], r[2], r[3]) for r in rows if r[0] in people]
    return sorted(result, key=lambda r: (-r.sent, r.person.full_name))
