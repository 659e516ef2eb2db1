"""Curation: curators' scores, the decision record, private member notes, who looked after whom."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from club.extensions import db
from club.models.applications import Application
from club.models.base import UTCDateTime, utcnow
from club.models.user import User


class Review(db.Model):
    """One curator's score (1–5) and comment on one application; changeable until the decision."""

    __tablename__ = "application_reviews"
    __table_args__ = (UniqueConstraint("application_id", "curator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    curator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column()
    # Erased with the applicant's personal data after the retention period; the score stays.
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    curator: Mapped[User] = relationship(foreign_keys=[curator_id])


class ApplicationDecision(db.Model):
    """Append-only record of what was decided about an application, by whom, when and why.

    ``outcome`` is approved, waitlisted or rejected; "reopened" marks a waitlisted application
    put back for a new decision, so the history reads as one line.
    """

    __tablename__ = "application_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    # Set only when an admin approved with fewer endorsements than the club requires.
    override_reason: Mapped[str | None] = mapped_column(Text)
    # Set only when an admin who invited or endorsed the applicant decided (or reopened) it anyway:
    # why it fell to them. Kept here, not in the audit log, so erasure reaches it.
    conflict_reason: Mapped[str | None] = mapped_column(Text)
    endorsement_count: Mapped[int] = mapped_column(default=0)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class DecisionsAreFinal(Exception):
    pass


@event.listens_for(ApplicationDecision, "before_update")
def _refuse_update(*_args):
    raise DecisionsAreFinal("a recorded decision cannot be changed; record a new one")


@event.listens_for(ApplicationDecision, "before_delete")
def _refuse_delete(*_args):
    raise DecisionsAreFinal("a recorded decision cannot be deleted")


class MemberNote(db.Model):
    """A curator's private note about a member. Never shown to the member, nor in their export."""

    __tablename__ = "member_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class CuratorAssignment(db.Model):
    """Who was made a member's curator, when, by whom and why (matching at approval, or by an admin)."""

    __tablename__ = "curator_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    curator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    previous_curator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    curator: Mapped[User | None] = relationship(foreign_keys=[curator_id])
    previous_curator: Mapped[User | None] = relationship(foreign_keys=[previous_curator_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])


class CuratorProfile(db.Model):
    """What matching needs to know about a curator, and what members see of them."""

    __tablename__ = "curator_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    bio: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    interests: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=25)

    user: Mapped[User] = relationship(backref=db.backref("curator_profile", uselist=False))
