"""Who is signed in: the session cookie's user, and what Flask-Login does for visitors."""
from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import selectinload

from club.extensions import db, login_manager
from club.models.user import User


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
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
    return user
