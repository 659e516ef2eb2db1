"""Ambassadors: members an admin names to carry the club (the leaders page), and ends.

The kernel holds them because more than one feature shows them: the directory marks their card,
the leaders page ranks and flags them. Naming and ending are written to the audit log.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from club.core import audit
from club.extensions import db
from club.membership import states
from club.models.base import utcnow
from club.models.membership import Ambassadorship, Membership
from club.models.user import User


class AmbassadorError(ValueError):
    """Naming or ending refused; the message is for the admin."""


def current_ambassadors(user_ids: list[int] | None = None) -> dict[int, datetime]:
    """Who is an ambassador now (among ``user_ids`` when given): user id → since when. One statement."""
    query = select(Ambassadorship.user_id, Ambassadorship.named_at).where(Ambassadorship.ended_at.is_(None))
    if user_ids is not None:
        if not user_ids:
            return {}
        query = query.where(Ambassadorship.user_id.in_(user_ids))
    return dict(db.session.execute(query).all())


def name_ambassador(member: User, by: User) -> Ambassadorship:
    """Name ``member`` an ambassador. Only a member with access can be; naming twice changes nothing."""
    membership = db.session.scalar(select(Membership).where(Membership.user_id == member.id))
    if membership is None or membership.state not in states.ACCESS_STATES:
        raise AmbassadorError(_("Only a current member can be named an ambassador."))
    current = db.session.scalar(select(Ambassadorship).where(Ambassadorship.user_id == member.id,
                                                             Ambassadorship.ended_at.is_(None)))
    if current is not None:
        return current
    row = Ambassadorship(user_id=member.id, named_by_id=by.id, named_at=utcnow())
    try:
        with db.session.begin_nested():  # the open-row index settles two admins naming at the same instant
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return db.session.scalar(select(Ambassadorship).where(Ambassadorship.user_id == member.id,
                                                              Ambassadorship.ended_at.is_(None)))
    audit.record("membership.ambassador_named", actor=by, subject=member)
    return row


def end_ambassador(member: User, by: User) -> bool:
    """End ``member``'s ambassadorship; False when they were not one (nothing to end)."""
    ended = db.session.execute(
        db.update(Ambassadorship).where(Ambassadorship.user_id == member.id, Ambassadorship.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_by_id=by.id)).rowcount
    if ended:
        audit.record("membership.ambassador_ended", actor=by, subject=member)
    return bool(ended)
