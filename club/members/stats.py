"""The member portal's figures for the owner's metrics: requests to curators and members at risk.

No feature may import the portal, so the app factory hands these functions to the metrics
(``club.metrics.providers``). Each returns plain rows keyed by the member's *current* curator
(a request moves with its member when the admin reassigns them; None when the member has none),
in a fixed number of grouped statements whatever the club's size.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import case, func, or_, select

from club.billing import stats as billing_stats
from club.events import stats as event_stats
from club.extensions import db
from club.members import at_risk
from club.members import request_states as rs
from club.membership import states
from club.models.members import AtRiskFollowUp, CuratorRequest, RequestMessage
from club.models.membership import Membership
from club.models.user import User


def open_requests_by_curator() -> list[dict]:
    """Requests not done today per curator, and how many of them wait for an answer (the last word
    is the member's). One statement."""
    last = (select(RequestMessage.request_id, func.max(RequestMessage.id).label("last_id"))
            .group_by(RequestMessage.request_id).subquery())
    last_message = RequestMessage.__table__.alias("last_message")
    waiting = case((last_message.c.author_id == CuratorRequest.member_id, 1), else_=0)
    rows = db.session.execute(
        select(Membership.curator_id, func.count(CuratorRequest.id), func.coalesce(func.sum(waiting), 0))
        .select_from(CuratorRequest)
        .outerjoin(Membership, Membership.user_id == CuratorRequest.member_id)
        .outerjoin(last, last.c.request_id == CuratorRequest.id)
        .outerjoin(last_message, last_message.c.id == last.c.last_id)
        .where(CuratorRequest.state.in_(tuple(rs.LIVE)))
        .group_by(Membership.curator_id)).all()
    return [{"curator_id": r[0], "open": int(r[1]), "waiting": int(r[2])} for r in rows]


def requests_opened(start: datetime, end: datetime) -> list[dict]:
    """Every request opened in ``[start, end)`` with its current curator, when it was opened and when
    it was first answered (the first word not the member's; None while unanswered). One statement;
    a row per request of the period, so medians can be taken from them."""
    first_answer = (select(RequestMessage.request_id, func.min(RequestMessage.created_at).label("at"))
                    .join(CuratorRequest, CuratorRequest.id == RequestMessage.request_id)
                    .where(CuratorRequest.created_at >= start, CuratorRequest.created_at < end,
                           or_(RequestMessage.author_id.is_(None),
                               RequestMessage.author_id != CuratorRequest.member_id))
                    .group_by(RequestMessage.request_id).subquery())
    rows = db.session.execute(
        select(CuratorRequest.id, Membership.curator_id, CuratorRequest.created_at, first_answer.c.at)
        .outerjoin(Membership, Membership.user_id == CuratorRequest.member_id)
        .outerjoin(first_answer, first_answer.c.request_id == CuratorRequest.id)
        .where(CuratorRequest.created_at >= start, CuratorRequest.created_at < end)
        .order_by(CuratorRequest.id)).all()
    return [{"request_id": r[0], "curator_id": r[1], "opened_at": r[2], "answered_at": r[3]} for r in rows]


def at_risk_by_curator(now: datetime) -> list[dict]:
    """Members at risk today (a sign not yet handled) per curator: the same members the curators'
    at-risk lists show (``at_risk.members_at_risk``), counted without reading every member's dates.

    "No evenings" is decided in SQL (past day 30, nobody checked them in at an evening that started
    in the last 60 days); the exact moment it fired is worked out only for the few members whose
    sign someone handled. Eight statements at most, whatever the club's size."""
    seasoned = case((Membership.joined_at <= now - at_risk.FIRST_DAYS, 1), else_=0)
    cancelled_at = case((Membership.state == states.CANCELLING, Membership.updated_at), else_=None)
    members = db.session.execute(
        select(Membership.user_id, Membership.curator_id, seasoned, cancelled_at)
        .join(User, User.id == Membership.user_id)
        .where(Membership.state.in_(tuple(states.ACCESS_STATES)), User.deleted_at.is_(None))).all()
    # every member, as a SELECT: a list of ten thousand ids costs more to send than the query to run
    ids = (select(Membership.user_id).join(User, User.id == Membership.user_id)
           .where(Membership.state.in_(tuple(states.ACCESS_STATES)), User.deleted_at.is_(None)))
    came = event_stats.attended_after(now - at_risk.QUIET_DAYS)
    sparse = {"failed_payment": billing_stats.latest_failed_payment(ids, now - at_risk.RECENT),
              "low_rating": event_stats.latest_low_rating(ids, now - at_risk.RECENT),
              "unanswered_request": at_risk.unanswered(ids, now)}
    handled: dict[int, set[tuple[str, datetime]]] = {}
    for member_id, signal, fired_at in db.session.execute(
            select(AtRiskFollowUp.member_id, AtRiskFollowUp.signal, AtRiskFollowUp.fired_at)
            .join(Membership, Membership.user_id == AtRiskFollowUp.member_id)
            .where(Membership.state.in_(tuple(states.ACCESS_STATES)))):
        handled.setdefault(member_id, set()).add((signal, fired_at))
    quiet_at = _quiet_moments([uid for uid, signs in handled.items() if uid not in came
                               and any(signal == "no_evenings" for signal, _ in signs)])
    flagged = set().union(*sparse.values())
    counts: Counter = Counter()
    for user_id, curator_id, is_seasoned, cancelled in members:
        quiet = is_seasoned and user_id not in came
        if not quiet and cancelled is None and user_id not in flagged:
            continue  # no sign: most members, so the common case stays cheap
        mine = handled.get(user_id)
        if mine:
            signs = [(signal, found[user_id]) for signal, found in sparse.items() if user_id in found]
            if cancelled is not None:
                signs.append(("cancelled", cancelled))
            if quiet:
                signs.append(("no_evenings", quiet_at.get(user_id)))
            if all(sign in mine for sign in signs):
                continue  # every sign handled
        counts[curator_id] += 1
    return [{"curator_id": curator_id, "at_risk": count} for curator_id, count in counts.items()]


def _quiet_moments(user_ids: list[int]) -> dict[int, datetime | None]:
    """When "no evenings" fired for these members (the few whose sign was handled once)."""
    if not user_ids:
        return {}
    last = event_stats.last_attended(user_ids)
    joined = dict(db.session.execute(select(Membership.user_id, Membership.joined_at)
                                     .where(Membership.user_id.in_(user_ids))).all())
    return {uid: at_risk.quiet_since(joined.get(uid), last.get(uid)) for uid in user_ids}
