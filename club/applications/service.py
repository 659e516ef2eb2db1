"""The way in: members invite, invitees apply, members endorse, staff follow the referral tree.

Other features call ``invites_left``, ``pending_endorsement_requests``, ``application_of``,
``is_ready_for_decision``, ``referrals_of`` and ``start_reinvite_cooldown``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from club.applications import rules
from club.auth.service import AccountError, create_account, find_user_by_email, normalize_email
from club.core import audit, settings
from club.core.database import write_transaction
from club.core.mail import send_mail
from club.core.tokens import Signer, TokenExpired, TokenInvalid, keyed_hash
from club.extensions import db
from club.membership.access import has_member_access
from club.models.applications import Application, EmailCooldown, Endorsement, Invitation
from club.models.base import utcnow
from club.models.club import InterestTag, RulesAcceptance
from club.models.membership import Membership
from club.models.user import User

_invite_signer = Signer(salt="club-invitation")
INVITE_EMAIL_PURPOSE = "invitation-email"
COOLDOWN_PURPOSE = "reinvite-cooldown"
INVITER_STATEMENT = "Invited them"
ENDORSED, DECLINED, REQUESTED = "endorsed", "declined", "requested"

# One answer for every reason an email is already taken (an account, an open invite from
# someone else, an open application, a rejection cool-down): the member learns it cannot be
# invited, and nothing about what that person did or is.
REFUSED_KNOWN = ("This email cannot be invited: the club already knows it, as a member, an applicant, "
                 "someone with an open invitation, or from an earlier application. To protect that "
                 "person's privacy the club does not say which. If you think they should be invited, "
                 "speak to a curator.")
REFUSED_OWN_OPEN = ("You have already invited this email and the invite is still open; it is in your list below. "
                    "Revoke it first if you want to send a new one.")


class InviteRefused(Exception):
    """A member may not send this invite; the message is safe to show to them."""


class NotYours(LookupError):
    """The record does not exist or belongs to someone else (answered as 404)."""


class InviteLinkError(Exception):
    """An invitation link that cannot be used. ``title`` and ``message`` are shown to the visitor."""

    title = "This invitation link is not valid"
    status_code = 404
    message = ("The link may have been cut short when it was copied. Open it again from the email, "
               "or ask the member who invited you for a new invitation.")


class InviteLinkInvalid(InviteLinkError):
    pass


class _Gone(InviteLinkError):
    status_code = 410


class InviteLinkExpired(_Gone):
    title = "This invitation has expired"
    message = ("Invitations last a limited time. Ask the member who invited you to send you a new one; "
               "it takes them a minute.")


class InviteLinkRevoked(_Gone):
    title = "This invitation was withdrawn"
    message = ("The member who invited you has withdrawn this invitation. If you believe that was a mistake, "
               "ask them for a new one.")


class InviteLinkUsed(_Gone):
    title = "This invitation has already been used"
    message = ("An application has already been made with this invitation; each one can be used once. "
               "If it was you, sign in to follow your application. Otherwise, ask your member for a new invitation.")


class InviteLinkAccountExists(InviteLinkError):
    status_code = 409
    title = "You already have an account"
    message = ("This email already has an account with the club, so it cannot apply again with this invitation. "
               "Sign in instead, or speak to the member who invited you.")


class ApplicationError(Exception):
    """A use case around an application refused; ``field`` names the form field to show it at."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class EndorsementError(Exception):
    """Refused; the message is safe to show."""


# Invites -----------------------------------------------------------------------------------

def _zone() -> ZoneInfo:
    return ZoneInfo(settings.get("timezone"))


def _invites_used_this_quarter(user_id: int, now: datetime) -> int:
    start = rules.quarter_start(now, _zone())
    return db.session.scalar(
        db.select(func.count()).select_from(Invitation)
        .where(Invitation.inviter_id == user_id, Invitation.created_at >= start, Invitation.revoked_at.is_(None))
    ) or 0


def invites_left(user: User) -> int:
    """How many invites ``user`` may still send this quarter."""
    return rules.invites_left(settings.get("invite_quota"), _invites_used_this_quarter(user.id, utcnow()))


def _lock_row(model, key) -> None:
    # PostgreSQL: serialise use cases on this row. SQLite: begin_write() already holds the write lock.
    db.session.execute(db.select(model).where(model.__mapper__.primary_key[0] == key).with_for_update()).first()


def _cooldown_hash(email: str) -> str:
    return keyed_hash(normalize_email(email), COOLDOWN_PURPOSE)


def _email_is_known(email: str, now: datetime) -> bool:
    if find_user_by_email(email) is not None:
        return True
    open_invite = db.session.scalar(db.select(Invitation.id).where(
        Invitation.email == email, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None),
        Invitation.expires_at > now).limit(1))
    if open_invite is not None:
        return True
    open_application = db.session.scalar(db.select(Application.id).where(
        Application.email == email, Application.state.in_(rules.OPEN_APPLICATION_STATES)).limit(1))
    if open_application is not None:
        return True
    cooldown = db.session.get(EmailCooldown, _cooldown_hash(email))
    return cooldown is not None and cooldown.until > now


def invitation_token(invitation: Invitation) -> str:
    """The signed token of an invite link; it names the invitation and is bound to its email."""
    return _invite_signer.dumps({"i": invitation.id, "e": _email_tag(invitation.email)})


def _email_tag(email: str) -> str:
    return keyed_hash(normalize_email(email), INVITE_EMAIL_PURPOSE)[:24]


def send_invitation(inviter: User, email: str, note: str | None = None) -> Invitation:
    """Invite ``email`` on behalf of ``inviter`` and mail them the link."""
    with write_transaction():
        _lock_row(User, inviter.id)  # one member's invites are counted one request at a time
        email = normalize_email(email)
        now = utcnow()
        if invites_left(inviter) <= 0:
            next_start = rules.add_months(rules.quarter_start(now, _zone()), 3)
            raise InviteRefused(
                f"You have used all {settings.get('invite_quota')} invites of this quarter. Revoking an unused invite "
                f"gives it back; new ones come on {next_start:%d %B %Y}.")
        own_open = db.session.scalar(db.select(Invitation.id).where(
            Invitation.inviter_id == inviter.id, Invitation.email == email, Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None), Invitation.expires_at > now).limit(1))
        if own_open is not None:
            raise InviteRefused(REFUSED_OWN_OPEN)
        if _email_is_known(email, now):
            raise InviteRefused(REFUSED_KNOWN)
        note = (note or "").strip() or None
        invitation = Invitation(inviter_id=inviter.id, email=email, note=note, created_at=now,
                                expires_at=now + timedelta(days=settings.get("invite_ttl_days")))
        db.session.add(invitation)
        db.session.flush()
        link = url_for("applications.apply", token=invitation_token(invitation), _external=True)
        send_mail(email, f"{inviter.full_name} invites you to apply", "invite_sent", inviter=inviter,
                  note=note, link=link, expires_at=invitation.expires_at)
        audit.record("invitation.sent", actor=inviter, subject=invitation)
        db.session.commit()
    return invitation


def revoke_invitation(member: User, invitation_id: int) -> Invitation:
    """Withdraw an unused invite; it no longer counts against the member's quota."""
    with write_transaction():
        invitation = db.session.get(Invitation, invitation_id)
        if invitation is None or invitation.inviter_id != member.id:
            raise NotYours()
        now = utcnow()
        if invitation.used_at is not None:
            raise InviteRefused("This invite has been used to apply, so it can no longer be revoked.")
        if invitation.revoked_at is None:
            if now >= invitation.expires_at:
                raise InviteRefused("This invite has expired already; there is nothing to revoke.")
            invitation.revoked_at = now
            audit.record("invitation.revoked", actor=member, subject=invitation)
        db.session.commit()
    return invitation


@dataclass
class InviteRow:
    invitation: Invitation
    state: str
    can_revoke: bool

    @property
    def label(self) -> str:
        return rules.INVITE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return rules.INVITE_BADGES.get(self.state, "")


@dataclass
class InvitesPage:
    quota: int
    left: int
    renews_on: datetime
    invites: list[InviteRow]
    requests: list[Endorsement]


def _invite_row(invitation: Invitation, now: datetime) -> InviteRow:
    state = rules.invite_state(
        now=now, expires_at=invitation.expires_at, opened_at=invitation.opened_at, used_at=invitation.used_at,
        revoked_at=invitation.revoked_at,
        application_state=invitation.application.state if invitation.application is not None else None)
    can_revoke = rules.invite_is_open(now=now, expires_at=invitation.expires_at, used_at=invitation.used_at,
                                      revoked_at=invitation.revoked_at)
    return InviteRow(invitation, state, can_revoke)


def invites_page(member: User) -> InvitesPage:
    now = utcnow()
    sent = referrals_of(member)
    return InvitesPage(
        quota=settings.get("invite_quota"),
        left=invites_left(member),
        renews_on=rules.add_months(rules.quarter_start(now, _zone()), 3),
        invites=[_invite_row(inv, now) for inv in sent],
        requests=pending_endorsement_requests(member),
    )


def referrals_of(user: User) -> list[Invitation]:
    """Every invite ``user`` sent, newest first, with the application each led to loaded."""
    return list(db.session.scalars(
        db.select(Invitation).where(Invitation.inviter_id == user.id)
        .options(selectinload(Invitation.application))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))


def start_reinvite_cooldown(email: str) -> None:
    """A rejected applicant cannot be invited again until the cool-down ends (no commit).

    Only a keyed hash of the email is kept, so the refusal survives the erasure of their data.
    """
    until = rules.add_months(utcnow(), settings.get("reinvite_cooldown_months"))
    key = _cooldown_hash(email)
    row = db.session.get(EmailCooldown, key)
    if row is None:
        db.session.add(EmailCooldown(email_hash=key, until=until))
    else:
        row.until = max(row.until, until)


# Applying ----------------------------------------------------------------------------------

def _invitation_for_token(token: str) -> Invitation:
    try:
        payload = _invite_signer.loads(token, max_age=settings.get("invite_ttl_days") * 86400)
    except TokenExpired as exc:
        raise InviteLinkExpired() from exc
    except TokenInvalid as exc:
        raise InviteLinkInvalid() from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        raise InviteLinkInvalid()
    invitation = db.session.get(Invitation, payload["i"], options=[joinedload(Invitation.inviter)])
    if invitation is None or payload.get("e") != _email_tag(invitation.email):
        raise InviteLinkInvalid()
    if invitation.used_at is not None:
        raise InviteLinkUsed()
    if invitation.revoked_at is not None:
        raise InviteLinkRevoked()
    if utcnow() >= invitation.expires_at:
        raise InviteLinkExpired()
    return invitation


@dataclass
class ApplyPage:
    invitation: Invitation
    inviter_name: str
    rules_text: str
    rules_version_id: int
    interests: list[str]


def apply_page(token: str, *, opening: bool) -> ApplyPage:
    """What the application form shows; the first opening of a link is recorded for the inviter."""
    invitation = _invitation_for_token(token)
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
            invitation = _invitation_for_token(token)
            rules_version = settings.current_rules()
            if (rules_version.id if rules_version is not None else 0) != answers.rules_version_id:
                raise ApplicationError("The club rules changed while you were reading them. Please read the new "
                                       "version above and accept it.", field="accept_rules")
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
            # The inviter vouched by inviting: that is the first endorsement.
            db.session.add(Endorsement(application_id=application.id, endorser_id=invitation.inviter_id,
                                       state=ENDORSED, statement=invitation.note or INVITER_STATEMENT,
                                       requested_at=now, answered_at=now))
            if rules_version is not None:
                db.session.add(RulesAcceptance(user_id=user.id, rules_version_id=rules_version.id, accepted_at=now))
            db.session.flush()
            _recount(application)
            audit.record("application.submitted", actor=user, subject=application, invitation_id=invitation.id)
            required = settings.get("required_endorsements")
            send_mail(user.email, "Your application has reached us", "application_received", applicant=user,
                      inviter=invitation.inviter, required=required,
                      link=url_for("applications.status", _external=True))
            send_mail(invitation.inviter.email, f"{application.full_name} has applied", "invite_accepted",
                      inviter=invitation.inviter, application=application,
                      link=url_for("applications.invites", _external=True))
            db.session.commit()
    except IntegrityError as exc:
        # The unique invitation on applications is the last guard against a double submit.
        raise InviteLinkUsed() from exc
    return user


def interest_names() -> list[str]:
    return list(db.session.scalars(db.select(InterestTag.name).order_by(InterestTag.name)))


# The applicant's side ----------------------------------------------------------------------

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


def _locked_application_of(user: User) -> Application | None:
    application = application_of(user)
    if application is not None:
        _lock_row(Application, application.id)
    return application


ASKED_ANSWER = ("Thank you. If {email} belongs to a member of the club, they have been asked to endorse you. "
                "You will see it here when they do.")


def ask_for_endorsement(applicant: User, email: str) -> str:
    """Ask a member (by email) to endorse the applicant. Returns the answer to show.

    The answer is the same whether or not the email belongs to a member, and the request counts
    against the applicant's limit either way, so asking reveals nothing about who is a member.
    """
    with write_transaction():
        application = _locked_application_of(applicant)
        if application is None or application.state != rules.SUBMITTED:
            raise EndorsementError("Your application is no longer open for endorsements.")
        email = normalize_email(email)
        asked = list(application.endorsers_asked or [])
        if email in asked:
            raise EndorsementError("You have already asked this address.")
        limit = settings.get("max_endorsement_requests")
        if len(asked) >= limit:
            raise EndorsementError(f"You have asked {limit} people already, the most the club allows.")
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
                send_mail(member.email, f"{application.full_name} asks you to endorse their application",
                          "endorsement_request", member=member, application=application,
                          link=url_for("applications.endorse", endorsement_id=endorsement.id, _external=True))
        audit.record("endorsement.asked", actor=applicant, subject=application)
        db.session.commit()
    return ASKED_ANSWER.format(email=email)


def withdraw_application(applicant: User) -> Application:
    with write_transaction():
        application = _locked_application_of(applicant)
        if application is None:
            raise NotYours()
        if application.state not in rules.OPEN_APPLICATION_STATES:
            raise ApplicationError("This application has been decided and can no longer be withdrawn.")
        application.state = rules.WITHDRAWN
        application.withdrawn_at = utcnow()
        audit.record("application.withdrawn", actor=applicant, subject=application)
        db.session.commit()
    return application


# Endorsing ---------------------------------------------------------------------------------

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


def _recount(application: Application) -> None:
    application.endorsement_count = db.session.scalar(
        db.select(func.count()).select_from(Endorsement)
        .where(Endorsement.application_id == application.id, Endorsement.state == ENDORSED)) or 0


def answer_endorsement(member: User, endorsement_id: int, *, endorse: bool, statement: str | None) -> Endorsement:
    """The member endorses (with a sentence on how they know the applicant) or declines. Once."""
    with write_transaction():
        endorsement = endorsement_request(member, endorsement_id)
        _lock_row(Application, endorsement.application_id)
        application = endorsement.application
        if not has_member_access(member):
            raise EndorsementError("Only members whose membership is active can endorse.")
        if endorsement.state != REQUESTED:
            raise EndorsementError("You have already answered this request; an endorsement is given once.")
        if application.state != rules.SUBMITTED:
            raise EndorsementError("This application is no longer open for endorsements.")
        was_ready = is_ready_for_decision(application)
        endorsement.state = ENDORSED if endorse else DECLINED
        endorsement.statement = (statement or "").strip() or None
        endorsement.answered_at = utcnow()
        db.session.flush()
        _recount(application)
        audit.record("endorsement.given" if endorse else "endorsement.declined", actor=member, subject=application,
                     endorsement_id=endorsement.id)
        if not was_ready and is_ready_for_decision(application) and application.user_id is not None:
            send_mail(application.email, "Your application is ready for review", "application_ready",
                      application=application, link=url_for("applications.status", _external=True))
        db.session.commit()
    return endorsement


# Staff: the referral tree and the interest list --------------------------------------------

@dataclass
class Referral:
    invitation: Invitation
    state: str
    label: str
    person: User | None  # the applicant's account, once they applied
    membership_state: str | None
    referred_count: int


@dataclass
class ReferralTree:
    person: User
    brought_in_by: User | None
    referrals: list[Referral]


def referral_tree(user_id: int) -> ReferralTree:
    """Whom this person brought in, and what became of each (for curators and admins)."""
    person = db.session.get(User, user_id)
    if person is None:
        raise NotYours()
    now = utcnow()
    invitations = list(db.session.scalars(
        db.select(Invitation).where(Invitation.inviter_id == person.id)
        .options(selectinload(Invitation.application).selectinload(Application.user))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))
    people_ids = [inv.application.user_id for inv in invitations
                  if inv.application is not None and inv.application.user_id is not None]
    memberships: dict[int, str] = {}
    counts: dict[int, int] = {}
    if people_ids:
        memberships = dict(db.session.execute(
            db.select(Membership.user_id, Membership.state).where(Membership.user_id.in_(people_ids))).all())
        counts = dict(db.session.execute(
            db.select(Invitation.inviter_id, func.count()).where(Invitation.inviter_id.in_(people_ids))
            .group_by(Invitation.inviter_id)).all())
    brought_in_by = db.session.scalars(
        db.select(User).join(Invitation, Invitation.inviter_id == User.id)
        .join(Application, Application.invitation_id == Invitation.id)
        .where(Application.user_id == person.id).limit(1)
    ).first()
    referrals = []
    for inv in invitations:
        row = _invite_row(inv, now)
        applicant = inv.application.user if inv.application is not None else None
        referrals.append(Referral(
            invitation=inv, state=row.state, label=row.label, person=applicant,
            membership_state=memberships.get(applicant.id) if applicant is not None else None,
            referred_count=counts.get(applicant.id, 0) if applicant is not None else 0))
    return ReferralTree(person=person, brought_in_by=brought_in_by, referrals=referrals)


@dataclass
class Referrer:
    person: User
    sent: int
    applied: int
    approved: int


def referrers() -> list[Referrer]:
    """Everyone who has invited someone, with how their invitations turned out."""
    rows = db.session.execute(
        db.select(Invitation.inviter_id, func.count(Invitation.id), func.count(Application.id),
                  func.count(Application.id).filter(Application.state == rules.APPROVED))
        .outerjoin(Application, Application.invitation_id == Invitation.id)
        .group_by(Invitation.inviter_id)
    ).all()
    people = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_([r[0] for r in rows])))}
    result = [Referrer(people[r[0]], r[1], r[2], r[3]) for r in rows if r[0] in people]
    return sorted(result, key=lambda r: (-r.sent, r.person.full_name))


def interest_tags() -> list[InterestTag]:
    return list(db.session.scalars(db.select(InterestTag).order_by(InterestTag.name)))


def add_interest(name: str, actor: User) -> InterestTag:
    name = " ".join((name or "").split()).lower()
    if not name:
        raise ApplicationError("Give the interest a name.", field="name")
    if db.session.scalar(db.select(InterestTag.id).where(func.lower(InterestTag.name) == name)) is not None:
        raise ApplicationError(f"“{name}” is on the list already.", field="name")
    tag = InterestTag(name=name)
    db.session.add(tag)
    db.session.flush()
    audit.record("interest.added", actor=actor, subject=tag, name=name)
    db.session.commit()
    return tag


def remove_interest(tag_id: int, actor: User) -> str:
    """Remove an interest from the list; people who chose it keep it on their record."""
    tag = db.session.get(InterestTag, tag_id)
    if tag is None:
        raise NotYours()
    name = tag.name
    db.session.delete(tag)
    audit.record("interest.removed", actor=actor, name=name)
    db.session.commit()
    return name


__all__ = [
    "Answers", "ApplicationError", "EndorsementError", "InviteLinkError", "InviteRefused", "NotYours",
    "add_interest", "answer_endorsement", "application_of", "apply_page", "ask_for_endorsement",
    "endorsement_request", "interest_names", "interest_tags", "invitation_token", "invites_left", "invites_page",
    "is_ready_for_decision", "pending_endorsement_requests", "referral_tree", "referrals_of", "referrers",
    "remove_interest", "revoke_invitation", "send_invitation", "start_reinvite_cooldown", "status_page",
    "submit_application", "withdraw_application",
]
