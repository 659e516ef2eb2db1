"""Accounts: signing in, password resets, creating accounts."""
from __future__ import annotations

import hashlib

from flask_babel import gettext as _, lazy_gettext as _l

from club.core import audit, security_log
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.core.database import begin_write
from club.core.passwords import hash_password, needs_rehash, verify_password
from club.core.tokens import Signer, TokenExpired, TokenInvalid
from club.extensions import db
from club.models.base import utcnow
from club.models.user import User, UserRole

RESET_MAX_AGE = 3600  # one hour
_reset_signer = Signer(salt="password-reset")


class AccountError(Exception):
    """A use case refused; the message is safe to show to the person."""


class ResetLinkExpired(AccountError):
    pass


class ResetLinkInvalid(AccountError):
    pass


class ResetLinkUsed(AccountError):
    pass


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(db.select(User).where(User.email == normalize_email(email))).first()


def authenticate(email: str, password: str) -> User | None:
    """The user if the email and password match a live account; None otherwise (same for both)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        verify_password(None, password)
        security_log.sign_in_failed(email, None)
        return None
    if not verify_password(user.password_hash, password):
        security_log.sign_in_failed(email, user.id)
        return None
    new_hash = hash_password(password) if needs_rehash(user.password_hash) else None
    # The password check is slow by design; the read transaction it ran in is ended and the write
    # starts as a writer (SQLite: BEGIN IMMEDIATE, which waits its turn). Upgrading the old read
    # transaction instead fails at once with "database is locked" when another sign-in wrote since.
    begin_write()
    if new_hash is not None:
        user.password_hash = new_hash
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def log_out_everywhere(user: User) -> None:
    user.end_all_sessions()
    db.session.commit()


def create_account(email: str, full_name: str, password: str | None, roles: tuple[str, ...] = (),
                   actor: User | None = None) -> User:
    """Create an account (no commit). ``password`` None leaves it to be set through a reset link."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(_("An account with this email already exists."))
    user = User(email=email, full_name=full_name.strip(),
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.flush()
    for role in roles:
        db.session.add(UserRole(user_id=user.id, role=role, granted_by_id=actor.id if actor else None))
        audit.record("role.granted", actor=actor, subject=user, role=role)
    db.session.flush()
    db.session.refresh(user)
    return user


def _password_fingerprint(user: User) -> str:
    # Ties the link to the current password: once it changes, every earlier link dies.
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _reset_signer.dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists. Says nothing either way (no account lookup)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    link = public_url_for("auth.reset_password", token=make_reset_token(user))
    send_mail(user.email, _l("Reset your password"), "password_reset", user=user, link=link)
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    try:
        payload = _reset_signer.loads(token, max_age=RESET_MAX_AGE)
    except TokenExpired as exc:
        raise ResetLinkExpired(_("This link has expired: reset links last one hour.")) from exc
    except TokenInvalid as exc:
        raise ResetLinkInvalid(_("This link is not valid. It may have been cut short when copied.")) from exc
    user = db.session.get(User, payload.get("uid")) if isinstance(payload, dict) else None
    if user is None or not user.is_active:
        raise ResetLinkInvalid(_("This link is not valid. It may have been cut short when copied."))
    if payload.get("pw") != _password_fingerprint(user):
        raise ResetLinkUsed(_("This link has already been used: the password was changed after it was sent."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    set_password(user, new_password)
    audit.record("account.password_reset", actor=user, subject=user)
    db.session.commit()
    return user


def set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.end_all_sessions()
