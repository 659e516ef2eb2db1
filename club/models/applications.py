"""The way in: invitations from members, applications, endorsements, and re-invite cool-downs."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from club.extensions import db
from club.models.base import UTCDateTime, utcnow
from club.models.user import User


class Invitation(db.Model):
    """A member's invitation of one email address. The token in the link names this row."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    inviter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    inviter: Mapped[User] = relationship(foreign_keys=[inviter_id])
    application: Mapped[Application | None] = relationship(back_populates="invitation", uselist=False)


class Application(db.Model):
    """An applicant's answers and where their application stands.

    ``state``: submitted → approved | waitlisted | rejected, or withdrawn; a waitlisted
    application can be reopened (back to submitted). "Ready for decision" is submitted with
    ``endorsement_count`` at or above the club's required number.
    """

    __tablename__ = "applications"
    # The review queue: one tab's applications in submission order, a page at a time (issue 13).
    __table_args__ = (Index("ix_applications_state_submitted_at", "state", "submitted_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    occupation: Mapped[str | None] = mapped_column(String(160))
    company: Mapped[str | None] = mapped_column(String(160))
    links: Mapped[list] = mapped_column(JSON, default=list)
    interests: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    motivation: Mapped[str | None] = mapped_column(Text)
    contribution: Mapped[str | None] = mapped_column(Text)
    rules_version_id: Mapped[int | None] = mapped_column(ForeignKey("rules_versions.id"))
    endorsement_count: Mapped[int] = mapped_column(default=0)
    # Emails the applicant asked for an endorsement, members or not: the applicant is given the
    # same answer either way, and this list (not the endorsements) is what their limit counts.
    endorsers_asked: Mapped[list] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when personal data was erased after the retention period.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation] = relationship(back_populates="application")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    endorsements: Mapped[list[Endorsement]] = relationship(
        back_populates="application", order_by="Endorsement.id", cascade="all, delete-orphan"
    )


class Endorsement(db.Model):
    """A member vouching for an application (or asked to, or declining)."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("application_id", "endorser_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    endorser_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="requested")  # requested|endorsed|declined
    statement: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[Application] = relationship(back_populates="endorsements")
    endorser: Mapped[User] = relationship(foreign_keys=[endorser_id])


class EmailCooldown(db.Model):
    """A rejected applicant's email, kept only as a keyed hash, cannot be invited until ``until``."""

    __tablename__ = "email_cooldowns"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime)
