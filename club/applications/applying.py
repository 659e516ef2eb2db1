"""Applying: the application form an invite link opens, and turning the invite into an application.

Other features call ``accepted_rules_when_applying`` (accepting the rules in the application
counts as accepting them).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from club.applications import rules
from club.applications.endorsements import ENDORSED, recount
from club.applications.errors import ApplicationError
from club.applications.interests import interest_names
from club.applications.invite_links import InviteLinkAccountExists, InviteLinkUsed, invitation_for_token
from club.auth.service import AccountError, create_account
from club.core import audit, settings
from club.core.database import write_transaction
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.extensions import db
from club.membership.access import has_member_access
from club.models.applications import Application, Endorsement, Invitation
from club.models.base import utcnow
from club.models.club import RulesAcceptance
from club.models.user import User

INVITER_STATEMENT = "Invited them"


@dataclass
class ApplyPage:
    invitation: Invitation
    inviter_name: str
    rules_text: str
    rules_version_id: int
    interests: list[str]


def apply_page(token: str, *, opening: bool) -> ApplyPage:
    """What the application form shows; the first opening of a link is recorded for the inviter."""
    invitation = invitation_for_token(token)
    page = ApplyPage(invitation=invitation, inviter_name=invitation.inviter.full_name,
                     rules_text=_current_rules_text(), rules_version_id=_current_rules_id(),
                     interests=interest_names())
    if opening and invitation.opened_at is None:
        invitation.opened_at = utcnow()
        audit.record("invitation.opened", subject=invitation)
        db.session.commit()
    return page


def _current_rules_text() -> str:
    version = settings.current_rules()
    return version.body if version is not None else settings.DEFAULT_RULES


def _current_rules_id() -> int:
    # 0 stands for the built-in rules text, before an admin has published a version.
    version = settings.current_rules()
    return version.id if version is not None else 0


@dataclass
class Answers:
    full_name: str
    city: str
    occupation: str
    company: str | None
    links: list[str]
    interests: list[str]
    languages: list[str]
    motivation: str
    contribution: str
    rules_version_id: int
    password: str


def submit_application(token: str, answers: Answers) -> User:
    """Turn an invite into an application and an applicant account (committed). Returns the account.

    The invite is claimed with a conditional UPDATE, so of two submits racing with the same link
    exactly one creates an application; the other sees the link as used.
    """
    try:
        with write_transaction():
            invitation = invitation_for_token(token)
            rules_version = settings.current_rules()
            if (rules_version.id if rules_version is not None else 0) != answers.rules_version_id:
                raise ApplicationError(_("The club rules changed while you were reading them. Please read the new "
                                         "version above and accept it."), field="accept_rules")
            now = utcnow()
            claimed = db.session.execute(
                update(Invitation)
                .where(Invitation.id == invitation.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed != 1:
                raise InviteLinkUsed()
            try:
                user = create_account(invitation.email, answers.full_name, answers.password)
            except AccountError as exc:
                raise InviteLinkAccountExists() from exc
            application = Application(
                invitation_id=invitation.id, user_id=user.id, state=rules.SUBMITTED,
                full_name=answers.full_name.strip(), email=invitation.email, city=answers.city.strip(),
                occupation=answers.occupation.strip(),
                company=(answers.company or "").strip() or None, links=answers.links, interests=answers.interests,
                languages=answers.languages, motivation=answers.motivation.strip(),
                contribution=answers.contribution.strip(),
                rules_version_id=rules_version.id if rules_version is not None else None,
                endorsement_count=0, endorsers_asked=[], submitted_at=now)
            db.session.add(application)
            db.session.flush()
            # The inviter vouched by inviting: that is the first endorsement, if they are a member
            # with access now (a staff role alone endorses nothing, nor does a lapsed membership).
            if has_member_access(invitation.inviter):
                db.session.add(Endorsement(application_id=application.id, endorser_id=invitation.inviter_id,
                                           state=ENDORSED, statement=invitation.note or INVITER_STATEMENT,
                                           requested_at=now, answered_at=now))
            if rules_version is not None:
                db.session.add(RulesAcceptance(user_id=user.id, rules_version_id=rules_version.id, accepted_at=now))
            db.session.flush()
            recount(application)
            audit.record("application.submitted", actor=user, subject=application, invitation_id=invitation.id)
            required = settings.get("required_endorsements")
            # The applicant's account is new: without a language of its own, the page's is used.
            send_mail(user.email, _l("Your application has reached us"), "application_received",
                      language=user.language, applicant=user, inviter=invitation.inviter, required=required,
                      link=public_url_for("applications.status"))
            send_mail(invitation.inviter.email, _l("%(name)s has applied", name=application.full_name),
                      "invite_accepted", language=invitation.inviter.language, inviter=invitation.inviter,
                      application=application, link=public_url_for("applications.invites"))
            db.session.commit()
    except IntegrityError as exc:
        # The unique invitation on applications is the last guard against a double submit.
        raise InviteLinkUsed() from exc
    return user


def accepted_rules_when_applying(user: User, rules_version_id: int) -> bool:
    """True when ``user`` accepted this rules version in an application of theirs."""
    return db.session.scalar(
        db.select(db.func.count()).select_from(Application)
        .where(Application.user_id == user.id, Application.rules_version_id == rules_version_id)
    ) > 0
