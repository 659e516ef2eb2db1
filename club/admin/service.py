"""The owner's use cases: staff accounts and roles, club settings, rules, the audit log."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from club.admin.forms import role_label
from club.auth.service import AccountError, create_account, find_user_by_email, make_reset_token
from club.core import audit, settings
from club.core.database import begin_write
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.extensions import db
from club.models.club import RulesVersion
from club.models.user import ROLE_ADMIN, STAFF_ROLES, User, UserRole


class AdminError(Exception):
    """Refused; the message is safe to show."""


def role_name(role: str) -> str:
    """A staff role inside a sentence, in the reader's language: "admin", «администратор»."""
    return str(role_label(role)).lower()


def staff_members() -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(UserRole, UserRole.user_id == User.id).where(UserRole.role.in_(STAFF_ROLES)).distinct().order_by(User.full_name)
    ))


def create_staff_account(email: str, full_name: str, roles: list[str], actor: User) -> User:
    """Create a staff account and mail its owner a link to choose a password."""
    if not roles:
        raise AdminError(_("Choose at least one role for a staff account."))
    begin_write()  # two admins creating the same account at once: one account, and the other is told
    try:
        user = create_account(email, full_name, None, tuple(roles), actor=actor)
    except AccountError as exc:
        db.session.rollback()
        raise AdminError(_("%(reason)s Grant the role on their account below instead.", reason=str(exc))) from exc
    except IntegrityError as exc:  # PostgreSQL: the other admin's account committed first
        db.session.rollback()
        raise AdminError(_("An account with this email already exists. "
                           "Grant the role on their account below instead.")) from exc
    link = public_url_for("auth.reset_password", token=make_reset_token(user))
    # In their language if the account has one, else in the language of the admin's page.
    send_mail(user.email, _l("You have a staff account"), "staff_welcome", language=user.language, user=user,
              link=link, roles=roles)
    db.session.commit()
    return user


def grant_role(email: str, role: str, actor: User) -> User:
    if role not in STAFF_ROLES:
        raise AdminError(_("Unknown role."))
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        raise AdminError(_("There is no account with that email."))
    if user.has_role(role):
        raise AdminError(_("%(name)s is already %(role)s.", name=user.full_name, role=role_name(role)))
    db.session.add(UserRole(user_id=user.id, role=role, granted_by_id=actor.id))
    audit.record("role.granted", actor=actor, subject=user, role=role)
    db.session.commit()
    db.session.refresh(user)
    return user


def revoke_role(user_id: int, role: str, actor: User) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise AdminError(_("There is no such account."))
    row = db.session.get(UserRole, (user.id, role))
    if row is None:
        raise AdminError(_("%(name)s does not have the %(role)s role.", name=user.full_name,
                                 role=role_name(role)))
    if role == ROLE_ADMIN:
        admins = db.session.scalar(db.select(func.count()).select_from(UserRole).where(UserRole.role == ROLE_ADMIN))
        if admins <= 1:
            raise AdminError(_("The club must keep at least one admin. Make someone else admin first."))
    db.session.delete(row)
    # Sessions carry no roles, but a demoted person should sign in again to see the change.
    user.end_all_sessions()
    audit.record("role.revoked", actor=actor, subject=user, role=role)
    db.session.commit()
    db.session.refresh(user)
    return user


def update_club_settings(changes: dict, actor: User) -> dict:
    changed = settings.update(changes)
    if changed:
        audit.record("settings.changed", actor=actor, changes={k: {"old": o, "new": n} for k, (o, n) in changed.items()})
    db.session.commit()
    return changed


def publish_rules(body: str, actor: User) -> RulesVersion | None:
    """Publish a new version of the club rules; members accept it again at their next visit."""
    body = body.strip()
    current = settings.current_rules()
    if current is not None and current.body.strip() == body:
        return None
    version = RulesVersion(body=body, published_by_id=actor.id)
    db.session.add(version)
    db.session.flush()
    audit.record("rules.published", actor=actor, subject=version)
    db.session.commit()
    return version

