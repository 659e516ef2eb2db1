"""Who has member access right now, and the decorator member areas use."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from club.extensions import db, login_manager
from club.membership import states
from club.models.base import utcnow
from club.models.membership import Membership
from club.models.user import User


def membership_of(user: User) -> Membership | None:
    return db.session.scalars(db.select(Membership).where(Membership.user_id == user.id)).first()


def has_member_access(user: User) -> bool:
    membership = membership_of(user)
    return membership is not None and states.grants_access(membership.state, membership.grace_until, utcnow())


def open_to(membership: Membership | None) -> bool:
    """Whether this membership (already loaded, e.g. ``user.membership``) lets its member in now.

    The nav asks it: a member awaiting payment, lapsed or suspended is shown only what they may use.
    """
    return membership is not None and states.grants_access(membership.state, membership.grace_until, utcnow())


def member_required(view: Callable) -> Callable:
    """Member areas: only members whose membership grants access (and staff) get in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not (current_user.is_staff or has_member_access(current_user)):
            abort(403)
        return view(*args, **kwargs)

    return wrapped
