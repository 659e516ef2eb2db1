"""Endorsements: the applicant asks members by email, members answer once, the count reaches K.

Other features call ``pending_endorsement_requests`` (a member's requests awaiting an answer).
"""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import func, update
from sqlalchemy.orm import joinedload

from club.applications import rules
from club.applications.errors import NotYours
from club.applications.status import is_ready_for_decision, lock_application, locked_application_of
from club.auth.service import find_user_by_email, normalize_email
from club.core import audit, settings
from club.core.database import write_transaction
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.extensions import db
from club.membership.access import has_member_access
from club.models.applications import Application, Endorsement
from club.models.base import utcnow
from club.models.user import User

ENDORSED, DECLINED, REQUESTED = "endorsed", "declined", "requested"

# Endorsing is a member's act: a curator or admin role alone does not give it (DESIGN: Endorsements).
MEMBERS_ONLY = _l("Only members whose membership is active endorse applications. A curator's or an admin's role "
                  "does not give an endorsement.")
ALREADY_ANSWERED = _l("You have already answered this request; an endorsement is given once.")


class EndorsementError(Exception):
    """Refused; the message is safe to show."""


def ask_for_endorsement(applicant: User, email: str) -> str:
    """Ask a member (by email) to endorse the applicant. Returns the answer to show.

    The answer is the same whether or not the email belongs to a member, and the request counts
    against the applicant's limit either way, so asking reveals nothing about who is a member.
    """
    with write_transaction():
        application = locked_application_of(applicant)
        if application is None or application.state != rules.SUBMITTED:
            raise EndorsementError(_("Your application is no longer open for endorsements."))
        email = normalize_email(email)
        asked = list(application.endorsers_asked or [])
        if email in asked:
            raise EndorsementError(_("You have already asked this address."))
        limit = settings.get("max_endorsement_requests")
        if len(asked) >= limit:
            raise EndorsementError(ngettext("You have asked %(num)d person already, the most the club allows.",
                                            "You have asked %(num)d people already, the most the club allows.",
                                            limit))
        application.endorsers_asked = [*asked, email]
        member = find_user_by_email(email)
        if member is not None and member.id != applicant.id and has_member_access(member):
            already = db.session.scalar(db.select(Endorsement.id).where(
                Endorsement.application_id == application.id, Endorsement.endorser_id == member.id))
            if already is None:  # the inviter, or someone asked before, is not asked twice
                endorsement = Endorsement(application_id=application.id, endorser_id=member.id, state=REQUESTED,
                                          requested_at=utcnow())
                db.session.add(endorsement)
                db.session.flush()
                send_mail(member.email, _l("%(name)s asks you to endorse their application",
                                           name=application.full_name),
                          "endorsement_request", language=member.language, member=member, application=application,
                          link=public_url_for("applications.endorse", endorsement_id=endorsement.id))
        audit.record("endorsement.asked", actor=applicant, subject=application)
        db.session.commit()
    return _("Thank you. If %(email)s belongs to a member of the club, they have been asked to endorse you. "
             "You will see it here when they do.", email=email)


def pending_endorsement_requests(user: User) -> list[Endorsement]:
    """Requests awaiting this member's answer, on applications still open, oldest first."""
    return list(db.session.scalars(
        db.select(Endorsement).join(Application, Application.id == Endorsement.application_id)
        .where(Endorsement.endorser_id == user.id, Endorsement.state == REQUESTED,
               Application.state == rules.SUBMITTED)
        .options(joinedload(Endorsement.application))
        .order_by(Endorsement.requested_at, Endorsement.id)
    ))


def endorsement_request(member: User, endorsement_id: int) -> Endorsement:
    """A request addressed to ``member`` (any state), with its application; NotYours otherwise."""
    endorsement = db.session.get(Endorsement, endorsement_id, options=[joinedload(Endorsement.application)])
    if endorsement is None or endorsement.endorser_id != member.id:
        raise NotYours()
    return endorsement


def recount(application: Application) -> None:
    """Set the application's endorsement count from its given endorsements (no commit)."""
    application.endorsement_count = db.session.scalar(
        db.select(func.count()).select_from(Endorsement)
        .where(Endorsement.application_id == application.id, Endorsement.state == ENDORSED)) or 0


def answer_endorsement(member: User, endorsement_id: int, *, endorse: bool, statement: str | None) -> Endorsement:
    """The member endorses (with a sentence on how they know the applicant) or declines. Once.

    The answer is written with a conditional UPDATE (only while the request is still unanswered),
    so of two answers sent at the same moment exactly one is applied, on SQLite and PostgreSQL
    alike, whatever each request had read before.
    """
    with write_transaction():
        endorsement = endorsement_request(member, endorsement_id)
        lock_application(endorsement.application_id)
        if not has_member_access(member):
            raise EndorsementError(MEMBERS_ONLY)
        if endorsement.state != REQUESTED:
            raise EndorsementError(ALREADY_ANSWERED)
        application = endorsement.application
        if application.state != rules.SUBMITTED:
            raise EndorsementError(_("This application is no longer open for endorsements."))
        was_ready = is_ready_for_decision(application)
        answered = db.session.execute(
            update(Endorsement)
            .where(Endorsement.id == endorsement.id, Endorsement.state == REQUESTED)
            .values(state=ENDORSED if endorse else DECLINED, statement=(statement or "").strip() or None,
                    answered_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if answered != 1:
            raise EndorsementError(ALREADY_ANSWERED)
        db.session.refresh(endorsement)
        recount(application)
        audit.record("endorsement.given" if endorse else "endorsement.declined", actor=member, subject=application,
                     endorsement_id=endorsement.id)
        if not was_ready and is_ready_for_decision(application) and application.user_id is not None:
            applicant = db.session.get(User, application.user_id)
            send_mail(application.email, _l("Your application is ready for review"), "application_ready",
                      language=applicant.language if applicant is not None else None,
                      application=application, link=public_url_for("applications.status"))
        db.session.commit()
    return endorsement
