"""The way-in figures the owner's metrics need: the entry funnel's rows and each referrer's record.

Plain rows and numbers, one statement each, whatever the club's size (``club.metrics`` composes them).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, select

from club.extensions import db
from club.membership import states
from club.models.applications import Application, Endorsement, Invitation
from club.models.membership import Membership
from club.models.user import User


def funnel_rows(start: datetime, end: datetime) -> list[dict]:
    """One row per invitation sent in ``[start, end)``: when it was sent, applied, fully endorsed
    (the last endorsement's answer once the application had them all), decided, and paid (joined)."""
    endorsed = (select(Endorsement.application_id, func.max(Endorsement.answered_at).label("at"))
                .where(Endorsement.state == "endorsed").group_by(Endorsement.application_id).subquery())
    rows = db.session.execute(
        select(Invitation.created_at, Application.submitted_at, Application.endorsement_count, endorsed.c.at,
               Application.decided_at, Application.state, Membership.joined_at)
        .select_from(Invitation)
        .outerjoin(Application, Application.invitation_id == Invitation.id)
        .outerjoin(endorsed, endorsed.c.application_id == Application.id)
        .outerjoin(Membership, and_(Membership.user_id == Application.user_id, Application.state == "approved"))
        .where(Invitation.created_at >= start, Invitation.created_at < end)).all()
    return [{"invited_at": r[0], "applied_at": r[1], "endorsements": r[2] or 0, "endorsed_at": r[3],
             "decided_at": r[4], "state": r[5], "joined_at": r[6]} for r in rows]


def referrer_rows(start: datetime, end: datetime, six_months_ago: datetime, year_ago: datetime) -> list[dict]:
    """Per inviting member: invitations sent, applications and approvals in the period; and, over all
    their invitees ever, how many joined at least 6 (12) months ago and how many of those are still members."""
    in_period = and_(Invitation.created_at >= start, Invitation.created_at < end)
    still = Membership.state.in_(tuple(states.ACCESS_STATES))

    def count(condition):
        return func.sum(case((condition, 1), else_=0))

    rows = db.session.execute(
        select(Invitation.inviter_id, User.full_name,
               count(in_period), count(and_(in_period, Application.id.is_not(None))),
               count(and_(in_period, Application.state == "approved")),
               count(Membership.joined_at <= six_months_ago), count(and_(Membership.joined_at <= six_months_ago, still)),
               count(Membership.joined_at <= year_ago), count(and_(Membership.joined_at <= year_ago, still)))
        .select_from(Invitation).join(User, User.id == Invitation.inviter_id)
        .outerjoin(Application, Application.invitation_id == Invitation.id)
        .outerjoin(Membership, and_(Membership.user_id == Application.user_id, Application.state == "approved"))
        .group_by(Invitation.inviter_id, User.full_name).order_by(User.full_name)).all()
    keys = ("inviter_id", "name", "invitations", "applications", "approvals",
            "joined_6m_ago", "still_6m", "joined_12m_ago", "still_12m")
    return [dict(zip(keys, (r[0], r[1], *(int(v or 0) for v in r[2:])))) for r in rows]


def approved_referrals(start: datetime, end: datetime) -> dict[int, int]:
    """For the leaders page: per inviting member, their invitees approved in ``[start, end)`` who
    are members now. One grouped statement."""
    rows = db.session.execute(
        select(Invitation.inviter_id, func.count())
        .join(Application, Application.invitation_id == Invitation.id)
        .join(Membership, Membership.user_id == Application.user_id)
        .where(Application.state == "approved", Application.decided_at >= start, Application.decided_at < end,
               Membership.state.in_(tuple(states.ACCESS_STATES)))
        .group_by(Invitation.inviter_id)).all()
    return dict(rows)
