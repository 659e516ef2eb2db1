"""Who is signed in: starting a session, the session cookie's user, and what Flask-Login does for visitors.

A session has two lifetimes. The idle one (SESSION_HOURS, Flask's PERMANENT_SESSION_LIFETIME) is
renewed by every request. The absolute one is not: the time of the sign-in is kept in the signed
cookie and a session older than SESSION_ABSOLUTE_HOURS (staff: SESSION_STAFF_ABSOLUTE_HOURS) is
refused however busy it was, so a stolen cookie cannot be kept alive by using it.
"""
from __future__ import annotations

import time

from flask import Flask, current_app, session
from flask_babel import gettext
from flask_login import login_user
from sqlalchemy.orm import selectinload

from club.core import i18n, security_log
from club.core.form_messages import N_
from club.extensions import db, login_manager
from club.models.user import User

SIGNED_IN_AT = "signed_in_at"


def begin_session(user: User) -> None:
    """Sign ``user`` in on a fresh session (the one way to, so every session carries its start).

    The language chosen before signing in stays: the page after the sign-in is in it too."""
    language = session.get(i18n.SESSION_KEY)
    session.clear()
    session.permanent = True
    login_user(user)
    session[SIGNED_IN_AT] = int(time.time())
    if language:
        session[i18n.SESSION_KEY] = language
    i18n.remember_language(user)


def absolute_lifetime_hours(user: User) -> int:
    cfg = current_app.config
    return cfg["SESSION_STAFF_ABSOLUTE_HOURS"] if user.is_staff else cfg["SESSION_ABSOLUTE_HOURS"]


def _outlived(user: User) -> bool:
    started = session.get(SIGNED_IN_AT)
    if not isinstance(started, (int, float)) or isinstance(started, bool):
        return True  # a cookie without its start (forged, or from before this rule) is not trusted
    age = time.time() - started
    return age > absolute_lifetime_hours(user) * 3600 or age < -300


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    # Kept in English (flashed into the session as text); translated when flashed.
    login_manager.login_message = N_("Please sign in to continue.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def load_user(user_id: str) -> User | None:
    """Load the user named in the session cookie, if the cookie is still current.

    The cookie carries "<id>:<session version>". Logging out, changing the password or being
    suspended bumps the version, which turns every copy of an older cookie into a visitor.
    """
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, uid, options=[selectinload(User.roles)])
    if user is None or user.session_version != version or not user.is_active:
        return None
    if _outlived(user):
        security_log.event("session.expired", user_id=user.id, reason="absolute lifetime")
        session.clear()
        return None
    return user
