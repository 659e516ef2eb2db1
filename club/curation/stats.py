"""The curation figures the owner's metrics need: decisions by outcome, reviews per curator, and
each curator's members against their capacity. Plain rows, one statement each."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select

from club.core import settings
from club.curation.loads import LOAD_STATES
from club.extensions import db
from club.models.curation import ApplicationDecision, CuratorProfile, Review
from club.models.membership import Membership
from club.models.user import ROLE_CURATOR, User, UserRole


def decisions_by_outcome(start: datetime, end: datetime) -> dict[str, int]:
    """Decisions recorded in ``[start, end)`` by outcome (a reopening is not a decision)."""
    rows = db.session.execute(
        select(ApplicationDecision.outcome, func.count())
        .where(ApplicationDecision.decided_at >= start, ApplicationDecision.decided_at < end,
               ApplicationDecision.outcome != "reopened")
        .group_by(ApplicationDecision.outcome)).all()
    return {outcome: count for outcome, count in rows}


def reviews_per_curator(start: datetime, end: datetime) -> list[dict]:
    """Applications each curator scored in ``[start, end)``, most first."""
    rows = db.session.execute(
        select(User.id, User.full_name, func.count(Review.id)).join(Review, Review.curator_id == User.id)
        .where(Review.created_at >= start, Review.created_at < end)
        .group_by(User.id, User.full_name).order_by(func.count(Review.id).desc(), User.full_name)).all()
    return [{"curator_id": r[0], "name": r[1], "applications": r[2]} for r in rows]


def curator_loads() -> list[dict]:
    """Every curator with the members they look after now and their capacity."""
    load = (select(Membership.curator_id, func.count().label("members"))
            .where(Membership.curator_id.is_not(None), Membership.state.in_(LOAD_STATES))
            .group_by(Membership.curator_id).subquery())
    default = int(settings.get("curator_capacity"))
    rows = db.session.execute(
        select(User.id, User.full_name, CuratorProfile.capacity, load.c.members)
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == ROLE_CURATOR))
        .outerjoin(CuratorProfile, CuratorProfile.user_id == User.id)
        .outerjoin(load, load.c.curator_id == User.id).order_by(User.full_name)).all()
    return [{"curator_id": r[0], "name": r[1], "capacity": r[2] if r[2] is not None else default,
             "members": int(r[3] or 0)} for r in rows]
