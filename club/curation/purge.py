"""Retention: erasing personal data once the club no longer needs it (``flask --app wsgi
purge-applicants``, daily), through ``club.core.erasure``:

- rejected and withdrawn applicants, ``retention_days`` after the application closed;
- former members, ``former_member_retention_days`` after their membership ended (their profile,
  photo, requests, notes, applications and account; the membership row, payments and the audit
  log's ids stay: the books). Someone who came back is not a former member.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from club.applications import review
from club.core import audit, erasure, settings
from club.core.database import begin_write
from club.extensions import db
from club.membership import former
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.user import User

ERASED_NAME = "Erased applicant"
ERASED_MEMBER_NAME = "Former member"


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
    candidates = review.closed_before(cutoff)
    erased: list[ErasedApplication] = []
    how = erasure.Erasure(now=now, why="erased", name=ERASED_NAME)
    for application in candidates:
        account_id = _erase_account(application.user_id, application.id, how)
        erasure.erase_application(application.id, how)
        erased.append(ErasedApplication(application.id, application.state, application.closed_at, account_id))
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
    if review.has_live_application(user.id, application_id):
        return None
    erasure.erase_person(user.id, how)
    return user.id


@dataclass
class ErasedMember:
    user_id: int
    membership_id: int
    ended_at: datetime


def purge_former_members(now: datetime | None = None, retention_days: int | None = None) -> list[ErasedMember]:
    """Erase the personal data of members whose membership ended longer ago than the retention period.

    Everything goes through ``erasure.erase_person``; the membership row (state, dates, plan),
    payments and the audit log stay. Staff, accounts already erased and anyone whose membership
    runs again are left alone. Idempotent: an erased account is not found again.
    """
    now = now or utcnow()
    days = int(retention_days if retention_days is not None else settings.get("former_member_retention_days"))
    begin_write()
    erased: list[ErasedMember] = []
    how = erasure.Erasure(now=now, why="erased", name=ERASED_MEMBER_NAME)
    for person in former.ended_before(now - timedelta(days=days)):
        erasure.erase_person(person.user_id, how)
        erased.append(ErasedMember(person.user_id, person.membership_id, person.ended_at))
    if erased:
        audit.record("members.purged", accounts=[e.user_id for e in erased],
                     memberships=[e.membership_id for e in erased], retention_days=days)
    db.session.commit()
    return erased
