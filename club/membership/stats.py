"""Membership figures for the owner's metrics: members over time, joins and leaves per month,
leave reasons, members by state and by plan. Plain rows; one statement each whatever the size.

A member counts as a member at a moment when they had joined (first time active) before it and
their membership had not ended by then.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from club.extensions import db
from club.membership import states
from club.models.membership import Membership


def _member_at(moment: datetime):
    return and_(Membership.joined_at < moment, or_(Membership.ended_at.is_(None), Membership.ended_at >= moment))


def members_at(moments: list[datetime]) -> list[int]:
    """How many were members at each moment, in one statement."""
    if not moments:
        return []
    row = db.session.execute(select(*[func.sum(case((_member_at(m), 1), else_=0)) for m in moments])).one()
    return [int(v or 0) for v in row]


def joins_and_leaves(bounds: list[datetime]) -> list[tuple[int, int]]:
    """(joined, left) between each pair of consecutive bounds, in one statement."""
    if len(bounds) < 2:
        return []
    columns = []
    for a, b in zip(bounds, bounds[1:]):
        columns.append(func.sum(case((and_(Membership.joined_at >= a, Membership.joined_at < b), 1), else_=0)))
        columns.append(func.sum(case((and_(Membership.ended_at >= a, Membership.ended_at < b), 1), else_=0)))
    row = [int(v or 0) for v in db.session.execute(select(*columns)).one()]
    return list(zip(row[0::2], row[1::2]))


def leave_reasons(start: datetime, end: datetime, limit: int = 15) -> list[tuple[str, int]]:
    """What members who left in ``[start, end)`` wrote on the leaving form, counted, most first."""
    said = func.lower(func.trim(Membership.leave_reason))
    rows = db.session.execute(
        select(said, func.count()).where(Membership.ended_at >= start, Membership.ended_at < end,
                                         Membership.leave_reason.is_not(None), func.trim(Membership.leave_reason) != "")
        .group_by(said).order_by(func.count().desc(), said).limit(limit)).all()
    return [(reason, count) for reason, count in rows]


def by_plan() -> list[dict]:
    """Members with access now by plan (the plan's id; billing names it) and how often they pay."""
    rows = db.session.execute(
        select(Membership.plan_id, Membership.kind, Membership.plan, func.count())
        .where(Membership.state.in_(tuple(states.ACCESS_STATES)))
        .group_by(Membership.plan_id, Membership.kind, Membership.plan)).all()
    return [{"plan_id": r[0], "kind": r[1], "cadence": r[2], "members": r[3]} for r in rows]
