"""What curation reads and writes of an application: the queue's rows and tab counts, one
application on file, the row locked for a decision, the outcome recorded on it, the inviter's
track record, and the closed applications past the retention period.

Curation never touches applications' tables itself: it calls these functions and gets plain
records back. The states are the ones of ``club.applications.rules``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from club.applications import rules
from club.core import settings
from club.core.database import is_postgresql
from club.extensions import db
from club.models.applications import Application, Endorsement, Invitation
from club.models.base import utcnow
from club.models.membership import Membership
from club.models.user import User

# The queue's tabs. They do not overlap, so their counts add up to every application.
READY, AWAITING, WAITLISTED, DECIDED, WITHDRAWN = "ready", "submitted", "waitlisted", "decided", "withdrawn"
QUEUE_TABS = (READY, AWAITING, WAITLISTED, DECIDED, WITHDRAWN)
# An application that still stands, or became a membership: its applicant's account is in use.
LIVE_STATES = rules.OPEN_APPLICATION_STATES | {rules.APPROVED}


def required_endorsements() -> int:
    """The number of endorsements an application needs before it can be approved."""
    return int(settings.get("required_endorsements"))


def queue_tab(state: str, endorsement_count: int, required: int) -> str:
    """The queue tab an application is listed under."""
    if state == rules.SUBMITTED:
        return READY if rules.is_ready_for_decision(state, endorsement_count, required) else AWAITING
    if state in (rules.APPROVED, rules.REJECTED):
        return DECIDED
    return state


# ----------------------------------------------------------------------------------------------
# Plain records of an application
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InvitationRecord:
    id: int
    inviter_id: int
    created_at: datetime
    note: str | None
    inviter: User | None = None  # loaded for the application's file only


@dataclass(frozen=True)
class EndorsementRecord:
    endorser_id: int
    endorser: User
    state: str
    statement: str | None
    answered_at: datetime | None


@dataclass(frozen=True)
class ApplicationRecord:
    """An application as curation sees it. Audited as the application itself (same table and id)."""

    __tablename__: ClassVar[str] = Application.__tablename__

    id: int
    user_id: int | None
    state: str
    full_name: str
    email: str
    city: str | None
    occupation: str | None
    company: str | None
    links: list
    interests: list
    languages: list
    motivation: str | None
    contribution: str | None
    endorsement_count: int
    submitted_at: datetime
    decided_at: datetime | None
    withdrawn_at: datetime | None
    erased_at: datetime | None
    invitation: InvitationRecord | None = None
    endorsements: tuple[EndorsementRecord, ...] = ()
    # The loaded row, kept so that recording the outcome needs no second query. Not for callers.
    _row: Application | None = field(default=None, repr=False, compare=False)

    @property
    def inviter_id(self) -> int | None:
        return self.invitation.inviter_id if self.invitation else None


def _record(application: Application, *, with_inviter: bool = False, with_endorsements: bool = False,
            keep_row: bool = False) -> ApplicationRecord:
    invitation = application.invitation
    return ApplicationRecord(
        id=application.id, user_id=application.user_id, state=application.state, full_name=application.full_name,
        email=application.email, city=application.city, occupation=application.occupation,
        company=application.company, links=list(application.links or []),
        interests=list(application.interests or []), languages=list(application.languages or []),
        motivation=application.motivation, contribution=application.contribution,
        endorsement_count=application.endorsement_count, submitted_at=application.submitted_at,
        decided_at=application.decided_at, withdrawn_at=application.withdrawn_at, erased_at=application.erased_at,
        invitation=InvitationRecord(invitation.id, invitation.inviter_id, invitation.created_at, invitation.note,
                                    invitation.inviter if with_inviter else None),
        endorsements=tuple(EndorsementRecord(e.endorser_id, e.endorser, e.state, e.statement, e.answered_at)
                           for e in application.endorsements) if with_endorsements else (),
        _row=application if keep_row else None,
    )


# ----------------------------------------------------------------------------------------------
# The queue
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueuedApplication:
    """One application as a row of the queue."""

    id: int
    full_name: str
    occupation: str | None
    city: str | None
    state: str
    endorsement_count: int
    submitted_at: datetime
    erased_at: datetime | None


def queue_counts(required: int) -> dict[str, int]:
    """How many applications each tab holds, in one query."""
    # Grouped by the raw columns, bucketed here: a CASE with a bound parameter in GROUP BY is
    # refused by PostgreSQL, and there are only a handful of distinct endorsement counts.
    counts = dict.fromkeys(QUEUE_TABS, 0)
    for state, endorsements, n in db.session.execute(
        select(Application.state, Application.endorsement_count, func.count()).group_by(
            Application.state, Application.endorsement_count)
    ):
        tab = queue_tab(state, endorsements, required)
        counts[tab] = counts.get(tab, 0) + n
    return counts


def queue_select(tab: str, *, required: int, newest_first: bool) -> Select[Any]:
    """The applications of one tab, in order, with their inviter's name: a statement to page through.

    Its columns are those of ``QueuedApplication`` and ``inviter_name``; a caller adds its own
    columns by joining on the ``id`` column (``statement.selected_columns.id``).
    """
    conditions = {
        READY: and_(Application.state == rules.SUBMITTED, Application.endorsement_count >= required),
        AWAITING: and_(Application.state == rules.SUBMITTED, Application.endorsement_count < required),
        WAITLISTED: Application.state == rules.WAITLISTED,
        DECIDED: Application.state.in_((rules.APPROVED, rules.REJECTED)),
        WITHDRAWN: Application.state == rules.WITHDRAWN,
    }
    inviter = aliased(User)
    order = (Application.submitted_at.desc(), Application.id.desc()) if newest_first else (
        Application.submitted_at.asc(), Application.id.asc())
    return (
        select(Application.id, Application.full_name, Application.occupation, Application.city, Application.state,
               Application.endorsement_count, Application.submitted_at, Application.erased_at,
               inviter.full_name.label("inviter_name"))
        .join(Invitation, Invitation.id == Application.invitation_id)
        .join(inviter, inviter.id == Invitation.inviter_id)
        .where(conditions[tab])
        .order_by(*order)
    )


def queued_application(row: Any) -> QueuedApplication:
    """The application in a row of ``queue_select`` (whatever columns the caller added)."""
    values = row._mapping
    return QueuedApplication(values["id"], values["full_name"], values["occupation"], values["city"],
                             values["state"], values["endorsement_count"], values["submitted_at"],
                             values["erased_at"])


# ----------------------------------------------------------------------------------------------
# One application
# ----------------------------------------------------------------------------------------------

def application_on_file(application_id: int) -> ApplicationRecord | None:
    """The application with its invitation, inviter and endorsements (two queries)."""
    application = db.session.scalars(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.invitation).joinedload(Invitation.inviter),
                 selectinload(Application.endorsements).joinedload(Endorsement.endorser))
    ).first()
    return _record(application, with_inviter=True, with_endorsements=True) if application else None


@dataclass(frozen=True)
class TrackRecordEntry:
    application_id: int
    name: str
    state: str
    endorsement_count: int
    submitted_at: datetime
    membership_state: str | None


def track_record(inviter_id: int, except_application_id: int) -> list[TrackRecordEntry]:
    """How the inviter's other invitees fared: their application and, once in, their membership."""
    rows = db.session.execute(
        select(Application.id, Application.full_name, Application.state, Application.endorsement_count,
               Application.submitted_at, Membership.state)
        .join(Invitation, Invitation.id == Application.invitation_id)
        .outerjoin(Membership, and_(Membership.user_id == Application.user_id, Application.state == rules.APPROVED))
        .where(Invitation.inviter_id == inviter_id, Application.id != except_application_id)
        .order_by(Application.submitted_at.desc())
    )
    return [TrackRecordEntry(*row) for row in rows]


# ----------------------------------------------------------------------------------------------
# Deciding
# ----------------------------------------------------------------------------------------------

def lock_for_decision(application_id: int) -> ApplicationRecord | None:
    """The application and its invitation, its row locked (PostgreSQL) until the transaction ends.

    Call after ``begin_write()``; None when there is no such application.
    """
    query = select(Application).where(Application.id == application_id).options(joinedload(Application.invitation))
    if is_postgresql():
        query = query.with_for_update(of=Application)
    application = db.session.scalars(query).first()
    return _record(application, keep_row=True) if application else None


def endorser_ids(application_id: int) -> frozenset[int]:
    """The members who endorsed the application (given endorsements only, the inviter's included)."""
    return frozenset(db.session.scalars(select(Endorsement.endorser_id).where(
        Endorsement.application_id == application_id, Endorsement.state == "endorsed")))


def _row(application: ApplicationRecord) -> Application:
    return application._row if application._row is not None else db.session.get(Application, application.id)


def mark_decided(application: ApplicationRecord, outcome: str) -> None:
    """Record the outcome on the locked application (no flush, no commit)."""
    if outcome not in rules.DECIDED_STATES:
        raise ValueError(f"not a decision: {outcome}")
    row = _row(application)
    row.state = outcome
    row.decided_at = utcnow()


def mark_reopened(application: ApplicationRecord) -> None:
    """A waitlisted application goes back to the queue for a new decision (no flush, no commit)."""
    row = _row(application)
    row.state = rules.SUBMITTED
    row.decided_at = None


def link_account(application: ApplicationRecord, user_id: int) -> None:
    """The account made for an applicant who had none, at approval (no flush, no commit)."""
    _row(application).user_id = user_id


def oldest_submitted_application_id(not_invited_by: int) -> int | None:
    """The longest-waiting submitted application someone other than ``not_invited_by`` invited."""
    return db.session.scalars(
        select(Application.id).join(Invitation, Invitation.id == Application.invitation_id)
        .where(Application.state == rules.SUBMITTED, Invitation.inviter_id != not_invited_by)
        .order_by(Application.submitted_at)).first()


# ----------------------------------------------------------------------------------------------
# Retention
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClosedApplication:
    """A rejected or withdrawn application, and when it closed."""

    id: int
    state: str
    closed_at: datetime
    user_id: int | None
    # The loaded row stays in the session while it is erased, as it did before. Not for callers.
    _row: Application | None = field(default=None, repr=False, compare=False)


def closed_before(cutoff: datetime) -> list[ClosedApplication]:
    """Rejected and withdrawn applications closed before ``cutoff`` that still hold personal data."""
    applications = list(db.session.scalars(
        select(Application).where(
            Application.erased_at.is_(None),
            or_(and_(Application.state == rules.REJECTED, Application.decided_at < cutoff),
                and_(Application.state == rules.WITHDRAWN,
                     func.coalesce(Application.withdrawn_at, Application.submitted_at) < cutoff)))
        .options(joinedload(Application.invitation), selectinload(Application.endorsements))
        .order_by(Application.id)))
    return [ClosedApplication(a.id, a.state, a.decided_at if a.state == rules.REJECTED else (
        a.withdrawn_at or a.submitted_at), a.user_id, a) for a in applications]


def has_live_application(user_id: int, except_application_id: int) -> bool:
    """Whether the person has another application still open, or one that made them a member."""
    return bool(db.session.scalar(select(func.count()).select_from(Application).where(
        Application.user_id == user_id, Application.id != except_application_id,
        Application.state.in_(LIVE_STATES))))
