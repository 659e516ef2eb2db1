"""Onboarding: the club rules a member has accepted, and their welcome checklist."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from club.applications.applying import accepted_rules_when_applying
from club.core import audit, settings
from club.extensions import db
from club.members import onboarding
from club.members.profile_service import profile_of
from club.members.requests_service import curator_of, has_said_hello
from club.models.base import utcnow
from club.models.club import RulesAcceptance, RulesVersion
from club.models.user import User


class RulesError(Exception):
    """Refused; the message is safe to show."""


def has_accepted(user: User, version: RulesVersion | None) -> bool:
    """True when ``user`` accepted ``version`` (or there are no rules yet).

    Accepting the rules in the application counts: that is the same person agreeing to the
    same text, recorded with its version.
    """
    if version is None:
        return True
    accepted = db.session.get(RulesAcceptance, (user.id, version.id))
    if accepted is not None:
        return True
    return accepted_rules_when_applying(user, version.id)


def needs_to_accept(user: User) -> RulesVersion | None:
    """The rules version ``user`` still has to accept, or None."""
    version = settings.current_rules()
    return None if has_accepted(user, version) else version


def accept_rules(user: User, version_id: int) -> RulesAcceptance | None:
    """Record that ``user`` accepts the version they were shown; it must still be the current one.

    Accepting twice records once (the version is part of the key).
    """
    current = settings.current_rules()
    if current is None or current.id != version_id:
        raise RulesError(_("The rules were updated while you were reading. Please read the new version."))
    existing = db.session.get(RulesAcceptance, (user.id, current.id))
    if existing is not None:
        return existing
    acceptance = RulesAcceptance(user_id=user.id, rules_version_id=current.id, accepted_at=utcnow())
    db.session.add(acceptance)
    audit.record("rules.accepted", actor=user, subject=user, rules_version_id=current.id)
    try:
        db.session.commit()
    except IntegrityError:
        # Two tabs accepted at once: the other request recorded it; one record is what we want.
        db.session.rollback()
        return db.session.get(RulesAcceptance, (user.id, current.id))
    return acceptance


def checklist_for(user: User) -> onboarding.Checklist:
    profile = profile_of(user)
    return onboarding.checklist(
        rules_accepted=needs_to_accept(user) is None,
        profile_complete=onboarding.profile_is_complete(profile),
        directory_chosen=profile.directory_chosen_at is not None,
        said_hello=has_said_hello(user),
        has_curator=curator_of(user) is not None,
    )
