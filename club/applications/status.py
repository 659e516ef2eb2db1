"""The applicant's side of an application: finding it, its status page, readiness, withdrawing.

Other features call ``application_of`` and ``is_ready_for_decision``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from club.applications import rules
from club.applications.errors import ApplicationError, NotYours
from club.core import audit, settings
from club.core.database import write_transaction
from club.extensions import db
from club.models.applications import Application, Invitation
from club.models.base import utcnow
from club.models.user import User


def application_of(user: User) -> Application | None:
    """The person's application (the latest, should there ever be more than one)."""
    return db.session.scalars(
        db.select(Application).where(Application.user_id == user.id).order_by(Application.id.desc()).limit(1)
    ).first()


def is_ready_for_decision(application: Application) -> bool:
    return rules.is_ready_for_decision(application.state, application.endorsement_count,
                                       settings.get("required_endorsements"))


@dataclass
class StatusPage:
    application: Application
    inviter_name: str
    steps: list[rules.Step]
    required: int
    ready: bool
    asks_left: int
    can_ask: bool
    can_withdraw: bool
    asked: list[str] = field(default_factory=list)


def status_page(applicant: User) -> StatusPage | None:
    application = db.session.scalars(
        db.select(Application).where(Application.user_id == applicant.id)
        .options(joinedload(Application.invitation).joinedload(Invitation.inviter))
        .order_by(Application.id.desc()).limit(1)
    ).first()
    if application is None:
        return None
    required = settings.get("required_endorsements")
    asked = list(application.endorsers_asked or [])
    asks_left = max(0, settings.get("max_endorsement_requests") - len(asked))
    return StatusPage(
        application=application, inviter_name=application.invitation.inviter.full_name,
        steps=rules.timeline(state=application.state, endorsement_count=application.endorsement_count,
                             required=required),
        required=required, ready=is_ready_for_decision(application), asks_left=asks_left,
        can_ask=application.state == rules.SUBMITTED and asks_left > 0,
        can_withdraw=application.state in rules.OPEN_APPLICATION_STATES, asked=asked)


def lock_application(application_id: int) -> None:
    """Serialise use cases on one application (no-op beyond ``begin_write()`` on SQLite)."""
    # PostgreSQL: serialise use cases on this row. SQLite: begin_write() already holds the write lock.
    db.session.execute(db.select(Application).where(Application.id == application_id).with_for_update()).first()


def locked_application_of(user: User) -> Application | None:
    application = application_of(user)
    if application is not None:
        lock_application(application.id)
    return application


def withdraw_application(applicant: User) -> Application:
    with write_transaction():
        application = locked_application_of(applicant)
        if application is None:
            raise NotYours()
        if application.state not in rules.OPEN_APPLICATION_STATES:
            raise ApplicationError(_("This application has been decided and can no longer be withdrawn."))
        application.state = rules.WITHDRAWN
        application.withdrawn_at = utcnow()
        audit.record("application.withdrawn", actor=applicant, subject=application)
        db.session.commit()
    return application
