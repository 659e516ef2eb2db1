"""Curation use cases: the review queue, scores, decisions, curator matching, the curator's workspace,
private notes and the erasure of old applicants' data.

Every function that changes something checks who is asking, changes, audits and commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy import delete as sa_delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, selectinload

from club.applications.service import start_reinvite_cooldown
from club.auth.service import create_account, find_user_by_email, make_reset_token
from club.core import audit, erasure, settings
from club.core.database import begin_write, is_postgresql
from club.core.mail import send_mail
from club.curation import matching
from club.events.service import upcoming_booking_counts
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.membership.changes import start_membership
from club.models.applications import Application, Endorsement, Invitation
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.curation import CuratorProfile
from club.models.membership import MemberProfile, Membership
from club.models.user import ROLE_ADMIN, ROLE_CURATOR, User, UserRole
from club.models.curation import ApplicationDecision, CuratorAssignment, MemberNote, Review

SUBMITTED, APPROVED, WAITLISTED, REJECTED, WITHDRAWN = "submitted", "approved", "waitlisted", "rejected", "withdrawn"
OUTCOMES = {APPROVED: "Approve", WAITLISTED: "Waitlist", REJECTED: "Reject"}
REOPENED = "reopened"

# The queue's tabs. They do not overlap, so their counts add up to every application.
QUEUE_FILTERS = {
    "ready": "Ready for decision",
    "submitted": "Awaiting endorsements",
    "waitlisted": "Waitlisted",
    "decided": "Decided",
    "withdrawn": "Withdrawn",
}
QUEUE_SORTS = {"oldest": "Oldest first", "newest": "Newest first"}
QUEUE_PAGE_SIZE = 50

# Memberships that take a curator's time; ended, lapsed and suspended ones do not.
LOAD_STATES = (states.PENDING_PAYMENT, states.ACTIVE, states.PAST_DUE, states.CANCELLING)
ERASED_NAME = "Erased applicant"


class CurationError(Exception):
    """A use case refused; the message is safe to show. ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAllowed(CurationError):
    """The person asking may not do this (the view answers 403)."""


class NotFound(CurationError):
    """No such thing, or not one this person may know about (the view answers 404)."""


def required_endorsements() -> int:
    return int(settings.get("required_endorsements"))


def is_ready(application: Application) -> bool:
    return application.state == SUBMITTED and application.endorsement_count >= required_endorsements()


def queue_bucket(state: str, endorsement_count: int, required: int) -> str:
    if state == SUBMITTED:
        return "ready" if endorsement_count >= required else "submitted"
    if state in (APPROVED, REJECTED):
        return "decided"
    return state


# ----------------------------------------------------------------------------------------------
# The review queue
# ----------------------------------------------------------------------------------------------

@dataclass
class QueueRow:
    application: Application
    inviter_name: str
    review_count: int
    average_score: float | None
    my_score: int | None
    bucket: str
    age_days: int


@dataclass
class Queue:
    filter: str
    sort: str
    counts: dict[str, int]
    rows: list[QueueRow]
    page: int
    has_next: bool
    required: int


def review_queue(viewer: User, filter_: str = "ready", sort: str = "oldest", page: int = 1) -> Queue:
    """One page of the queue with the counts per tab: three queries whatever the queue's length."""
    _require_staff(viewer)
    filter_ = filter_ if filter_ in QUEUE_FILTERS else "ready"
    sort = sort if sort in QUEUE_SORTS else "oldest"
    page = max(page, 1)
    required = required_endorsements()

    # Grouped by the raw columns, bucketed here: a CASE with a bound parameter in GROUP BY is
    # refused by PostgreSQL, and there are only a handful of distinct endorsement counts.
    counts = dict.fromkeys(QUEUE_FILTERS, 0)
    for state, endorsements, n in db.session.execute(
        select(Application.state, Application.endorsement_count, func.count()).group_by(
            Application.state, Application.endorsement_count)
    ):
        counts[queue_bucket(state, endorsements, required)] = counts.get(queue_bucket(state, endorsements, required), 0) + n

    conditions = {
        "ready": and_(Application.state == SUBMITTED, Application.endorsement_count >= required),
        "submitted": and_(Application.state == SUBMITTED, Application.endorsement_count < required),
        "waitlisted": Application.state == WAITLISTED,
        "decided": Application.state.in_((APPROVED, REJECTED)),
        "withdrawn": Application.state == WITHDRAWN,
    }
    stats = (select(Review.application_id, func.count().label("n"), func.avg(Review.score).label("average"))
             .group_by(Review.application_id).subquery())
    mine = aliased(Review)
    inviter = aliased(User)
    order = Application.submitted_at.asc() if sort == "oldest" else Application.submitted_at.desc()
    query = (
        select(Application, inviter.full_name, stats.c.n, stats.c.average, mine.score)
        .join(Invitation, Invitation.id == Application.invitation_id)
        .join(inviter, inviter.id == Invitation.inviter_id)
        .outerjoin(stats, stats.c.application_id == Application.id)
        .outerjoin(mine, and_(mine.application_id == Application.id, mine.curator_id == viewer.id))
        .where(conditions[filter_])
        .order_by(order, Application.id.asc() if sort == "oldest" else Application.id.desc())
        .limit(QUEUE_PAGE_SIZE + 1).offset((page - 1) * QUEUE_PAGE_SIZE)
    )
    now = utcnow()
    rows = [
        QueueRow(application, inviter_name, n or 0, float(average) if average is not None else None, my_score,
                 queue_bucket(application.state, application.endorsement_count, required),
                 max((now - application.submitted_at).days, 0))
        for application, inviter_name, n, average, my_score in db.session.execute(query)
    ]
    return Queue(filter_, sort, counts, rows[:QUEUE_PAGE_SIZE], page, len(rows) > QUEUE_PAGE_SIZE, required)


# ----------------------------------------------------------------------------------------------
# One application
# ----------------------------------------------------------------------------------------------

@dataclass
class TrackRecordEntry:
    application_id: int
    name: str
    state: str
    endorsement_count: int
    submitted_at: datetime
    membership_state: str | None


@dataclass
class HistoryItem:
    at: datetime
    text: str
    detail: str | None = None
    kind: str = "done"


@dataclass
class ApplicationFile:
    application: Application
    inviter: User
    endorsements: list[Endorsement]
    reviews: list[Review]
    decisions: list[ApplicationDecision]
    track_record: list[TrackRecordEntry]
    history: list[HistoryItem]
    required: int
    my_review: Review | None
    can_score: bool
    score_refusal: str | None
    can_decide: bool
    can_reopen: bool
    member_id: int | None = None
    track_summary: dict[str, int] = field(default_factory=dict)

    @property
    def endorsed(self) -> list[Endorsement]:
        return [e for e in self.endorsements if e.state == "endorsed"]

    @property
    def average_score(self) -> float | None:
        return sum(r.score for r in self.reviews) / len(self.reviews) if self.reviews else None


def application_file(application_id: int, viewer: User) -> ApplicationFile:
    """Everything a curator needs to decide, in a fixed number of queries."""
    _require_staff(viewer)
    application = db.session.scalars(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.invitation).joinedload(Invitation.inviter),
                 selectinload(Application.endorsements).joinedload(Endorsement.endorser))
    ).first()
    if application is None:
        raise NotFound("There is no such application.")
    inviter = application.invitation.inviter
    reviews = list(db.session.scalars(
        select(Review).where(Review.application_id == application.id)
        .options(joinedload(Review.curator)).order_by(Review.created_at, Review.id)))
    decisions = list(db.session.scalars(
        select(ApplicationDecision).where(ApplicationDecision.application_id == application.id)
        .options(joinedload(ApplicationDecision.decided_by)).order_by(ApplicationDecision.id)))
    track = _track_record(inviter.id, application.id)
    summary: dict[str, int] = {}
    for entry in track:
        summary[entry.state] = summary.get(entry.state, 0) + 1
    my_review = next((r for r in reviews if r.curator_id == viewer.id), None)
    refusal = _score_refusal(application, viewer)
    member_id = None
    if application.state == APPROVED and application.user_id:
        member_id = application.user_id
    return ApplicationFile(
        application=application, inviter=inviter, endorsements=list(application.endorsements), reviews=reviews,
        decisions=decisions, track_record=track, history=_history(application, decisions),
        required=required_endorsements(), my_review=my_review, can_score=refusal is None, score_refusal=refusal,
        can_decide=application.state == SUBMITTED, can_reopen=application.state == WAITLISTED,
        member_id=member_id, track_summary=summary,
    )


def _track_record(inviter_id: int, current_application_id: int) -> list[TrackRecordEntry]:
    """How the inviter's other invitees fared: their application and, once in, their membership."""
    rows = db.session.execute(
        select(Application.id, Application.full_name, Application.state, Application.endorsement_count,
               Application.submitted_at, Membership.state)
        .join(Invitation, Invitation.id == Application.invitation_id)
        .outerjoin(Membership, and_(Membership.user_id == Application.user_id, Application.state == APPROVED))
        .where(Invitation.inviter_id == inviter_id, Application.id != current_application_id)
        .order_by(Application.submitted_at.desc())
    )
    return [TrackRecordEntry(*row) for row in rows]


def _history(application: Application, decisions: list[ApplicationDecision]) -> list[HistoryItem]:
    items = [HistoryItem(application.invitation.created_at, f"Invited by {application.invitation.inviter.full_name}")]
    items.append(HistoryItem(application.submitted_at, "Application submitted"))
    for e in application.endorsements:
        if e.state == "endorsed" and e.answered_at:
            items.append(HistoryItem(e.answered_at, f"Endorsed by {e.endorser.full_name}"))
        elif e.state == "declined" and e.answered_at:
            items.append(HistoryItem(e.answered_at, f"{e.endorser.full_name} declined to endorse"))
    labels = {APPROVED: "Approved", WAITLISTED: "Waitlisted", REJECTED: "Rejected", REOPENED: "Reopened"}
    for d in decisions:
        who = d.decided_by.full_name if d.decided_by else "a former curator"
        detail = d.reason + (f" — Override: {d.override_reason}" if d.override_reason else "")
        items.append(HistoryItem(d.decided_at, f"{labels.get(d.outcome, d.outcome)} by {who}", detail))
    if application.withdrawn_at:
        items.append(HistoryItem(application.withdrawn_at, "Withdrawn by the applicant"))
    items.sort(key=lambda i: i.at)
    if application.state in (SUBMITTED,) and items:
        items[-1].kind = "current"
    return items


# ----------------------------------------------------------------------------------------------
# Scores
# ----------------------------------------------------------------------------------------------

def _score_refusal(application: Application, curator: User) -> str | None:
    if not curator.is_staff:
        return "Only curators score applications."
    if application.state != SUBMITTED:
        return "Scores are closed: this application has been decided."
    if application.invitation.inviter_id == curator.id:
        return "You invited this applicant, so you do not score them."
    return None


def score_application(application_id: int, curator: User, score: int, comment: str | None) -> Review:
    """Record or change this curator's one score and comment, until the application is decided."""
    _require_staff(curator)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise CurationError("Choose a score from 1 to 5.", field="score")
    comment = (comment or "").strip() or None
    for attempt in (1, 2):
        begin_write()
        application = _locked_application(application_id)
        refusal = _score_refusal(application, curator)
        if refusal:
            db.session.rollback()
            if application.invitation.inviter_id == curator.id:
                raise NotAllowed(refusal)
            raise CurationError(refusal)
        review = db.session.scalars(select(Review).where(
            Review.application_id == application.id, Review.curator_id == curator.id)).first()
        created = review is None
        if created:
            review = Review(application_id=application.id, curator_id=curator.id, score=score, comment=comment)
            db.session.add(review)
        else:
            review.score, review.comment = score, comment
        try:
            db.session.flush()
        except IntegrityError:
            # Two submits raced past the check on PostgreSQL; the second becomes an update.
            db.session.rollback()
            if attempt == 2:
                raise
            continue
        audit.record("application.scored" if created else "application.score_changed", actor=curator,
                     subject=application, score=score)
        db.session.commit()
        return review
    raise AssertionError("unreachable")


# ----------------------------------------------------------------------------------------------
# Decisions
# ----------------------------------------------------------------------------------------------

def decide(application_id: int, outcome: str, reason: str, actor: User, override_reason: str | None = None) -> ApplicationDecision:
    """Approve, waitlist or reject an application, with a reason; mail the applicant. Final once made."""
    _require_staff(actor)
    if outcome not in OUTCOMES:
        raise CurationError("Choose approve, waitlist or reject.", field="outcome")
    reason = (reason or "").strip()
    if not reason:
        raise CurationError("Say why: every decision is recorded with its reason.", field="reason")
    override_reason = (override_reason or "").strip() or None

    begin_write()
    application = _locked_application(application_id)
    if application.state != SUBMITTED:
        db.session.rollback()
        if application.state == WAITLISTED:
            raise CurationError("This application is waitlisted. Reopen it first to decide again.")
        raise CurationError("This application has already been decided; decisions cannot be changed.")
    required = required_endorsements()
    short = application.endorsement_count < required
    if outcome == APPROVED and short:
        if not actor.is_admin:
            db.session.rollback()
            raise CurationError(
                f"Approval needs {required} endorsements; this application has {application.endorsement_count}. "
                "Only an admin can approve with fewer.", field="outcome")
        if not override_reason:
            db.session.rollback()
            raise CurationError(
                f"This application has {application.endorsement_count} of {required} endorsements. "
                "Say why you approve it anyway.", field="override_reason")
    if not (outcome == APPROVED and short):
        override_reason = None  # nothing was overridden; do not record a justification for nothing

    decision = ApplicationDecision(application_id=application.id, outcome=outcome, reason=reason,
                                   override_reason=override_reason,
                                   endorsement_count=application.endorsement_count, decided_by_id=actor.id)
    db.session.add(decision)
    application.state = outcome
    application.decided_at = utcnow()
    db.session.flush()
    audit.record("application.decided", actor=actor, subject=application, outcome=outcome, decision_id=decision.id,
                 endorsements=application.endorsement_count, required=required,
                 override=override_reason is not None)

    if outcome == APPROVED:
        _welcome_new_member(application, actor)
    elif outcome == WAITLISTED:
        send_mail(application.email, "Your application is on our waiting list", "decision_waitlisted",
                  name=application.full_name)
    else:
        start_reinvite_cooldown(application.email)
        send_mail(application.email, "About your application", "decision_rejected", name=application.full_name)
    db.session.commit()
    return decision


def reopen(application_id: int, reason: str, actor: User) -> ApplicationDecision:
    """Put a waitlisted application back in the queue so it can be decided again."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CurationError("Say why the application is reopened.", field="reason")
    begin_write()
    application = _locked_application(application_id)
    if application.state != WAITLISTED:
        db.session.rollback()
        raise CurationError("Only a waitlisted application can be reopened.")
    record = ApplicationDecision(application_id=application.id, outcome=REOPENED, reason=reason,
                                 endorsement_count=application.endorsement_count, decided_by_id=actor.id)
    db.session.add(record)
    application.state = SUBMITTED
    application.decided_at = None
    db.session.flush()
    audit.record("application.reopened", actor=actor, subject=application, decision_id=record.id)
    db.session.commit()
    return record


def _welcome_new_member(application: Application, actor: User) -> None:
    """Approval: the applicant's account gets a membership awaiting payment and a matched curator."""
    user = db.session.get(User, application.user_id) if application.user_id else None
    password_link = None
    if user is None:
        # An applicant without an account (older invitation flow): make one; they choose a password by link.
        user = find_user_by_email(application.email) or create_account(application.email, application.full_name, None,
                                                                        actor=actor)
        application.user_id = user.id
        if not user.password_hash:
            password_link = url_for("auth.reset_password", token=make_reset_token(user), _external=True)
    profile = _fill_profile(user, application)
    match = match_curator(profile, exclude_user_id=user.id)
    curator = db.session.get(User, match.curator_id) if match else None
    membership = start_membership(user, curator=curator, actor=actor)
    db.session.add(CuratorAssignment(member_id=user.id, curator_id=curator.id if curator else None,
                                     reason="Matched at approval", assigned_by_id=actor.id))
    audit.record("curator.assigned", actor=actor, subject=membership, user_id=user.id,
                 curator_id=curator.id if curator else None, matched=True,
                 shared=len(match.shared_interests) + len(match.shared_languages) if match else 0)
    if match is None or match.all_full:
        _tell_admins_curators_are_full(user, curator, actor)
    send_mail(user.email, "Welcome: your application is approved", "decision_approved", name=application.full_name,
              curator=curator, curator_profile=curator.curator_profile if curator else None,
              password_link=password_link)
    if curator is not None:
        send_mail(curator.email, f"A new member for you: {user.full_name}", "curator_new_member",
                  curator=curator, member=user, profile=profile, match=match,
                  link=url_for("curation.member", user_id=user.id, _external=True))


def _fill_profile(user: User, application: Application) -> MemberProfile:
    profile = db.session.get(MemberProfile, user.id)
    if profile is None:
        profile = MemberProfile(user_id=user.id, directory_listed=False, directory_fields=[])
        db.session.add(profile)
    profile.city = application.city or profile.city
    profile.occupation = application.occupation or profile.occupation
    profile.company = application.company or profile.company
    profile.interests = list(application.interests or profile.interests or [])
    profile.languages = list(application.languages or profile.languages or [])
    profile.links = list(application.links or profile.links or [])
    db.session.flush()
    return profile


def _tell_admins_curators_are_full(member: User, curator: User | None, actor: User) -> None:
    admins = list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == ROLE_ADMIN, User.deleted_at.is_(None))))
    audit.record("curation.curators_full", actor=actor, subject=member,
                 curator_id=curator.id if curator else None)
    if admins:
        send_mail([a.email for a in admins], "Every curator is at capacity", "curator_all_full",
                  member=member, curator=curator,
                  link=url_for("curation.member", user_id=member.id, _external=True))


def _locked_application(application_id: int) -> Application:
    query = select(Application).where(Application.id == application_id).options(joinedload(Application.invitation))
    if is_postgresql():
        query = query.with_for_update(of=Application)
    application = db.session.scalars(query).first()
    if application is None:
        db.session.rollback()
        raise NotFound("There is no such application.")
    return application


# ----------------------------------------------------------------------------------------------
# Curator matching and load
# ----------------------------------------------------------------------------------------------

def curator_loads() -> dict[int, int]:
    return dict(db.session.execute(
        select(Membership.curator_id, func.count()).where(Membership.curator_id.is_not(None),
                                                           Membership.state.in_(LOAD_STATES))
        .group_by(Membership.curator_id)).all())


@dataclass
class CuratorSummary:
    user: User
    profile: CuratorProfile | None
    capacity: int
    load: int

    @property
    def has_room(self) -> bool:
        return self.load < self.capacity


def curators() -> list[CuratorSummary]:
    """Every curator with their capacity and current load (three queries)."""
    default_capacity = int(settings.get("curator_capacity"))
    rows = db.session.execute(
        select(User, CuratorProfile).join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == ROLE_CURATOR))
        .outerjoin(CuratorProfile, CuratorProfile.user_id == User.id)
        .where(User.deleted_at.is_(None)).order_by(User.full_name, User.id)).all()
    loads = curator_loads()
    return [CuratorSummary(user, profile, profile.capacity if profile and profile.capacity else default_capacity,
                           loads.get(user.id, 0)) for user, profile in rows]


def match_curator(profile: MemberProfile | None, exclude_user_id: int | None = None) -> matching.Match | None:
    newcomer = matching.Newcomer.of(profile.interests if profile else (), profile.languages if profile else (),
                                    profile.city if profile else None)
    candidates = [
        matching.Candidate.of(c.user.id, c.capacity, c.load,
                              c.profile.interests if c.profile else (), c.profile.languages if c.profile else (),
                              c.profile.city if c.profile else None)
        for c in curators() if c.user.id != exclude_user_id
    ]
    return matching.choose_curator(newcomer, candidates)


# ----------------------------------------------------------------------------------------------
# The curator's own profile
# ----------------------------------------------------------------------------------------------

def interest_names() -> list[str]:
    return list(db.session.scalars(select(InterestTag.name).order_by(InterestTag.name)))


def curator_profile(curator: User) -> CuratorProfile:
    """The curator's profile, unsaved defaults if they never filled it in."""
    if not curator.is_curator:
        raise NotAllowed("Only curators have a curator profile.")
    profile = db.session.get(CuratorProfile, curator.id)
    if profile is None:
        profile = CuratorProfile(user_id=curator.id, interests=[], languages=[],
                                 capacity=int(settings.get("curator_capacity")))
    return profile


def update_curator_profile(curator: User, *, bio: str | None, contact: str | None, city: str | None,
                           interests: list[str], languages: list[str], capacity: int) -> CuratorProfile:
    if not curator.is_curator:
        raise NotAllowed("Only curators have a curator profile.")
    known = set(interest_names())
    unknown = [i for i in interests if i not in known]
    if unknown:
        raise CurationError("Choose interests from the club's list.", field="interests")
    if capacity < 1:
        raise CurationError("Capacity is at least one member.", field="capacity")
    profile = db.session.get(CuratorProfile, curator.id)
    if profile is None:
        profile = CuratorProfile(user_id=curator.id)
        db.session.add(profile)
    profile.bio = (bio or "").strip() or None
    profile.contact = (contact or "").strip() or None
    profile.city = (city or "").strip() or None
    profile.interests = sorted(set(interests))
    profile.languages = _unique_languages(languages)
    profile.capacity = capacity
    audit.record("curator.profile_updated", actor=curator, subject=curator, capacity=capacity)
    db.session.commit()
    return profile


def _unique_languages(languages: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for language in languages:
        cleaned = language.strip()
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned[:1].upper() + cleaned[1:]
    return list(seen.values())


# ----------------------------------------------------------------------------------------------
# The workspace: my members, one member, notes, reassignment
# ----------------------------------------------------------------------------------------------

@dataclass
class MemberRow:
    user: User
    membership: Membership
    curator_name: str | None
    last_contact: datetime | None
    upcoming_bookings: int


def my_members(viewer: User, curator_id: int | None = None) -> list[MemberRow]:
    """The curator's own members (admins: everyone, or one curator's), in a fixed number of queries."""
    _require_staff(viewer)
    if not viewer.is_admin:
        curator_id = viewer.id
    last_note = (select(MemberNote.member_id, func.max(MemberNote.created_at).label("last"))
                 .group_by(MemberNote.member_id).subquery())
    curator = aliased(User)
    query = (select(Membership, User, curator.full_name, last_note.c.last)
             .join(User, User.id == Membership.user_id)
             .outerjoin(curator, curator.id == Membership.curator_id)
             .outerjoin(last_note, last_note.c.member_id == Membership.user_id)
             .where(User.deleted_at.is_(None))
             .order_by(User.full_name, User.id))
    if curator_id is not None:
        query = query.where(Membership.curator_id == curator_id)
    rows = db.session.execute(query).all()
    bookings = upcoming_booking_counts([user.id for _m, user, _c, _l in rows]) if rows else {}
    return [MemberRow(user, membership, curator_name, last, bookings.get(user.id, 0))
            for membership, user, curator_name, last in rows]


@dataclass
class MemberFile:
    user: User
    membership: Membership | None
    profile: MemberProfile | None
    curator: User | None
    notes: list[MemberNote]
    assignments: list[CuratorAssignment]
    can_reassign: bool
    curator_choices: list[CuratorSummary]
    upcoming_bookings: int


def _member_for(member_id: int, viewer: User) -> tuple[User, Membership | None]:
    _require_staff(viewer)
    user = db.session.get(User, member_id)
    if user is None or user.deleted_at is not None:
        raise NotFound("There is no such member.")
    membership = membership_of(user)
    if membership is None:
        raise NotFound("There is no such member.")
    if not viewer.is_admin and membership.curator_id != viewer.id:
        raise NotAllowed("This member is looked after by another curator.")
    return user, membership


def member_file(member_id: int, viewer: User) -> MemberFile:
    """A member as their curator (or an admin) sees them, with the private notes."""
    user, membership = _member_for(member_id, viewer)
    notes = list(db.session.scalars(
        select(MemberNote).where(MemberNote.member_id == user.id).options(joinedload(MemberNote.author))
        .order_by(MemberNote.created_at.desc(), MemberNote.id.desc())))
    assignments = list(db.session.scalars(
        select(CuratorAssignment).where(CuratorAssignment.member_id == user.id)
        .options(joinedload(CuratorAssignment.curator), joinedload(CuratorAssignment.previous_curator),
                 joinedload(CuratorAssignment.assigned_by))
        .order_by(CuratorAssignment.assigned_at.desc(), CuratorAssignment.id.desc())))
    counts = upcoming_booking_counts([user.id])
    return MemberFile(
        user=user, membership=membership, profile=db.session.get(MemberProfile, user.id),
        curator=db.session.get(User, membership.curator_id) if membership and membership.curator_id else None,
        notes=notes, assignments=assignments, can_reassign=viewer.is_admin,
        curator_choices=curators() if viewer.is_admin else [],
        upcoming_bookings=counts.get(user.id, 0),
    )


def add_note(member_id: int, author: User, body: str) -> MemberNote:
    user, _membership = _member_for(member_id, author)
    body = (body or "").strip()
    if not body:
        raise CurationError("Write the note first.", field="body")
    latest = db.session.scalars(select(MemberNote).where(MemberNote.member_id == user.id)
                                .order_by(MemberNote.id.desc()).limit(1)).first()
    if latest is not None and latest.author_id == author.id and latest.body == body:
        return latest  # the same note sent twice (double click, resubmitted form)
    note = MemberNote(member_id=user.id, author_id=author.id, body=body)
    db.session.add(note)
    db.session.flush()
    audit.record("member.note_added", actor=author, subject=user, note_id=note.id)
    db.session.commit()
    return note


def reassign_curator(member_id: int, new_curator_id: int, reason: str, actor: User) -> CuratorAssignment:
    """An admin gives a member another curator; the member and both curators are told."""
    if not actor.is_admin:
        raise NotAllowed("Only an admin can reassign a member.")
    reason = (reason or "").strip()
    if not reason:
        raise CurationError("Say why the member gets another curator.", field="reason")
    user, membership = _member_for(member_id, actor)
    new_curator = db.session.get(User, new_curator_id)
    if new_curator is None or not new_curator.is_curator or new_curator.deleted_at is not None:
        raise CurationError("Choose one of the club's curators.", field="curator_id")
    if membership.curator_id == new_curator.id:
        raise CurationError(f"{new_curator.full_name} is already this member's curator.", field="curator_id")
    previous = db.session.get(User, membership.curator_id) if membership.curator_id else None
    membership.curator_id = new_curator.id
    assignment = CuratorAssignment(member_id=user.id, curator_id=new_curator.id,
                                   previous_curator_id=previous.id if previous else None,
                                   reason=reason, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("curator.reassigned", actor=actor, subject=membership, user_id=user.id,
                 old_curator_id=previous.id if previous else None, new_curator_id=new_curator.id,
                 assignment_id=assignment.id)
    profile = db.session.get(CuratorProfile, new_curator.id)
    send_mail(user.email, "Your personal curator", "curator_reassigned_member", member=user, curator=new_curator,
              curator_profile=profile)
    send_mail(new_curator.email, f"A member joins your care: {user.full_name}", "curator_reassigned_to",
              curator=new_curator, member=user, previous=previous, reason=reason,
              link=url_for("curation.member", user_id=user.id, _external=True))
    if previous is not None and previous.deleted_at is None:
        send_mail(previous.email, f"{user.full_name} now has another curator", "curator_reassigned_from",
                  curator=previous, member=user, new_curator=new_curator, reason=reason)
    db.session.commit()
    return assignment


def notes_export(viewer: User) -> list[dict[str, Any]]:
    """Every private note, for the admin's export only: members' own exports never include notes."""
    if not viewer.is_admin:
        raise NotAllowed("Only an admin can export curators' notes.")
    member, author = aliased(User), aliased(User)
    rows = db.session.execute(
        select(MemberNote, member.full_name, member.email, author.full_name)
        .join(member, member.id == MemberNote.member_id)
        .outerjoin(author, author.id == MemberNote.author_id)
        .order_by(MemberNote.member_id, MemberNote.created_at, MemberNote.id))
    audit.record("member.notes_exported", actor=viewer)
    db.session.commit()
    return [{"note_id": note.id, "member_id": note.member_id, "member": name, "member_email": email,
             "author": author_name or "", "written_at": note.created_at.isoformat(), "note": note.body}
            for note, name, email, author_name in rows]


# ----------------------------------------------------------------------------------------------
# Retention: erasing old applicants' personal data
# ----------------------------------------------------------------------------------------------

@dataclass
class ErasedApplication:
    application_id: int
    state: str
    closed_at: datetime
    account_id: int | None


def purge_applicants(now: datetime | None = None, retention_days: int | None = None) -> list[ErasedApplication]:
    """Erase the personal data of rejected and withdrawn applications older than the retention period.

    Kept: state, dates, inviter, endorsement count and the scores (statistics), and the
    cool-down hash. Erased: name, email, answers, links, endorsers' sentences, curators'
    comments; and the applicant's account when it never became a membership. Idempotent.
    """
    now = now or utcnow()
    days = int(retention_days if retention_days is not None else settings.get("retention_days"))
    cutoff = now - timedelta(days=days)
    begin_write()
    candidates = list(db.session.scalars(
        select(Application).where(
            Application.erased_at.is_(None),
            or_(and_(Application.state == REJECTED, Application.decided_at < cutoff),
                and_(Application.state == WITHDRAWN,
                     func.coalesce(Application.withdrawn_at, Application.submitted_at) < cutoff)))
        .options(joinedload(Application.invitation), selectinload(Application.endorsements))
        .order_by(Application.id)))
    erased: list[ErasedApplication] = []
    how = erasure.Erasure(now=now, why="erased", name=ERASED_NAME)
    for application in candidates:
        closed_at = application.decided_at if application.state == REJECTED else (
            application.withdrawn_at or application.submitted_at)
        account_id = _erase_account(application.user_id, application.id, how)
        erasure.erase_application(application.id, how)
        erased.append(ErasedApplication(application.id, application.state, closed_at, account_id))
    if erased:
        audit.record("applications.purged", applications=[e.application_id for e in erased],
                     accounts=[e.account_id for e in erased if e.account_id], retention_days=days)
    db.session.commit()
    return erased


def _erase_account(user_id: int | None, application_id: int, how: erasure.Erasure) -> int | None:
    """Erase an applicant's account if it holds nothing else: no membership, no role, no live application."""
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or user.roles:
        return None
    if membership_of(user) is not None:
        return None
    live = db.session.scalar(select(func.count()).select_from(Application).where(
        Application.user_id == user.id, Application.id != application_id,
        Application.state.in_((SUBMITTED, APPROVED, WAITLISTED))))
    if live:
        return None
    erasure.erase_person(user.id, how)
    return user.id


def _require_staff(user: User) -> None:
    if user is None or not getattr(user, "is_staff", False):
        raise NotAllowed("Only curators and admins may do this.")
