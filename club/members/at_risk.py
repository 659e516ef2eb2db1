"""Members drifting away: the warning signs a curator sees for their members, handled with a note,
and the curator's weekly summary.

A member is at risk when a sign fires:

- ``no_evenings``: no evening attended in the last 60 days, once past their first 30 days as a
  member (it fires at whichever is later: 30 days after joining, or 60 days after the last evening);
- ``failed_payment``: a failed payment in the last 60 days that no payment has followed;
- ``low_rating``: a rating of 1 or 2 given in the last 60 days;
- ``unanswered_request``: a request whose last word, 7 days ago or more, is the member's;
- ``cancelled``: the member cancelled their membership (it ends with the period).

Each sign has the moment it fired. The curator marks it handled with a note
(``AtRiskFollowUp``); that occurrence is then hidden, and the same sign firing again later shows
again. Every source is one grouped statement over the curator's members, whatever their number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from club.billing import stats as billing_stats
from club.core import audit
from club.core.mail import send_mail
from club.events import stats as event_stats
from club.extensions import db
from club.membership import states
from club.models.base import utcnow
from club.models.members import AtRiskFollowUp, CuratorRequest, RequestMessage
from club.models.membership import Membership
from club.models.user import ROLE_CURATOR, User, UserRole

SIGNALS = {
    "no_evenings": _l("No evening attended in 60 days"),
    "failed_payment": _l("A payment failed"),
    "low_rating": _l("Rated an evening 1 or 2"),
    "unanswered_request": _l("A request unanswered for 7 days"),
    "cancelled": _l("Cancelled their membership"),
}
FIRST_DAYS = timedelta(days=30)
QUIET_DAYS = timedelta(days=60)
RECENT = timedelta(days=60)
UNANSWERED = timedelta(days=7)
MAX_NOTE = 2000


class AtRiskError(ValueError):
    """Refused; the message is for the curator."""


@dataclass(frozen=True)
class Sign:
    signal: str
    fired_at: datetime

    @property
    def label(self):
        return SIGNALS[self.signal]


@dataclass
class AtRisk:
    user_id: int
    name: str
    curator_id: int | None
    signs: list[Sign] = field(default_factory=list)


def quiet_since(joined_at: datetime | None, last_evening: datetime | None) -> datetime | None:
    """When "no evening in 60 days" fires for a member (None before they joined)."""
    if joined_at is None:
        return None
    if last_evening is None:
        return joined_at + FIRST_DAYS
    return max(joined_at + FIRST_DAYS, last_evening + QUIET_DAYS)


def _members(curator_id: int | None) -> list[tuple[int, str, int | None, datetime | None, str, datetime]]:
    query = (select(User.id, User.full_name, Membership.curator_id, Membership.joined_at, Membership.state,
                    Membership.updated_at)
             .join(Membership, Membership.user_id == User.id)
             .where(Membership.state.in_(tuple(states.ACCESS_STATES)), User.deleted_at.is_(None))
             .order_by(User.full_name, User.id))
    if curator_id is not None:
        query = query.where(Membership.curator_id == curator_id)
    return list(db.session.execute(query).all())


def unanswered(user_ids: list[int] | Select, now: datetime) -> dict[int, datetime]:
    """Per member (a list of ids, or a SELECT of them), when their oldest unanswered request (last
    word theirs, 7 days old) turned 7 days."""
    if isinstance(user_ids, list) and not user_ids:
        return {}
    last = (select(RequestMessage.request_id, func.max(RequestMessage.id).label("last_id"))
            .group_by(RequestMessage.request_id).subquery())
    rows = db.session.execute(
        select(CuratorRequest.member_id, func.min(RequestMessage.created_at))
        .join(last, last.c.request_id == CuratorRequest.id).join(RequestMessage, RequestMessage.id == last.c.last_id)
        .where(CuratorRequest.member_id.in_(user_ids), CuratorRequest.state != "done",
               RequestMessage.author_id == CuratorRequest.member_id, RequestMessage.created_at <= now - UNANSWERED)
        .group_by(CuratorRequest.member_id)).all()
    return {member_id: at + UNANSWERED for member_id, at in rows}


def members_at_risk(viewer: User, curator_id: int | None = None, now: datetime | None = None) -> list[AtRisk]:
    """The viewer's members with unhandled warning signs (an admin: everyone's, or one curator's),
    newest sign first within each member; members ordered by their newest sign."""
    if not viewer.is_staff:
        raise AtRiskError(_("Only the club's staff see members at risk."))
    if not viewer.is_admin:
        curator_id = viewer.id
    return at_risk_members(curator_id, now or utcnow())


def at_risk_members(curator_id: int | None, now: datetime) -> list[AtRisk]:
    """One curator's members at risk (None: every member's), whoever asks; six statements."""
    members = _members(curator_id)
    ids = [m[0] for m in members]
    last_evening = event_stats.last_attended(ids)
    failed = billing_stats.latest_failed_payment(ids, now - RECENT)
    low = event_stats.latest_low_rating(ids, now - RECENT)
    unanswered_at = unanswered(ids, now)
    handled = set(db.session.execute(
        select(AtRiskFollowUp.member_id, AtRiskFollowUp.signal, AtRiskFollowUp.fired_at)
        .where(AtRiskFollowUp.member_id.in_(ids))).all()) if ids else set()
    found = []
    for user_id, name, curator, joined_at, state, changed_at in members:
        signs = []
        quiet = quiet_since(joined_at, last_evening.get(user_id))
        if quiet is not None and quiet <= now:
            signs.append(Sign("no_evenings", quiet))
        for signal, at in (("failed_payment", failed.get(user_id)), ("low_rating", low.get(user_id)),
                           ("unanswered_request", unanswered_at.get(user_id))):
            if at is not None:
                signs.append(Sign(signal, at))
        if state == states.CANCELLING:
            # when the member cancelled: the membership's last change (it became "cancelling" then)
            signs.append(Sign("cancelled", changed_at))
        signs = [s for s in signs if (user_id, s.signal, s.fired_at) not in handled]
        if signs:
            found.append(AtRisk(user_id, name, curator, sorted(signs, key=lambda s: s.fired_at, reverse=True)))
    return sorted(found, key=lambda a: a.signs[0].fired_at, reverse=True)


def mark_handled(viewer: User, member: User, signal: str, fired_at: datetime, note: str) -> AtRiskFollowUp:
    """The curator dealt with one sign; handling the same occurrence twice keeps the first note."""
    if signal not in SIGNALS:
        raise AtRiskError(_("This warning sign is unknown."))
    note = " ".join(note.split()) if note else ""
    if len(note) > MAX_NOTE:
        raise AtRiskError(_("Keep the note under %(max)d characters.", max=MAX_NOTE))
    membership = db.session.scalar(select(Membership).where(Membership.user_id == member.id))
    if membership is None or not viewer.is_staff or (not viewer.is_admin and membership.curator_id != viewer.id):
        raise AtRiskError(_("This member is not one of yours."))
    existing = _follow_up(member.id, signal, fired_at)
    if existing is not None:
        return existing
    row = AtRiskFollowUp(member_id=member.id, signal=signal, fired_at=fired_at, note=note or None,
                         handled_by_id=viewer.id, handled_at=utcnow())
    try:
        with db.session.begin_nested():  # two clicks at the same instant: the unique key keeps one
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return _follow_up(member.id, signal, fired_at)
    audit.record("member.at_risk_handled", actor=viewer, subject=member, signal=signal, follow_up=row.id)
    return row


def _follow_up(member_id: int, signal: str, fired_at: datetime) -> AtRiskFollowUp | None:
    return db.session.scalar(select(AtRiskFollowUp).where(
        AtRiskFollowUp.member_id == member_id, AtRiskFollowUp.signal == signal, AtRiskFollowUp.fired_at == fired_at))


def send_weekly_summaries(now: datetime | None = None) -> int:
    """Each curator gets the week's new warning signs about their members and the requests waiting
    for an answer (the scheduler runs it weekly). A curator with nothing new gets no mail."""
    now = now or utcnow()
    week_ago = now - timedelta(days=7)
    curators = db.session.scalars(select(User).join(UserRole, UserRole.user_id == User.id)
                                  .where(UserRole.role == ROLE_CURATOR, User.deleted_at.is_(None))
                                  .order_by(User.id)).all()
    sent = 0
    for curator in curators:
        risks = members_at_risk(curator, now=now)
        new = [(r, s) for r in risks for s in r.signs if s.fired_at >= week_ago]
        waiting = [r for r in risks if any(s.signal == "unanswered_request" for s in r.signs)]
        if not new and not waiting:
            continue
        send_mail(curator.email, _l("Your members this week"), "curator_weekly_summary", user=curator,
                  new=new, waiting=waiting)
        sent += 1
    db.session.commit()
    return sent
