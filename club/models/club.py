"""Club-wide records: run-time settings, the rules text and who accepted which version, the audit
log, and the interest vocabulary."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from club.extensions import db
from club.models.base import UTCDateTime, utcnow


class ClubSetting(db.Model):
    """One admin-editable setting. Defaults and types live in ``club.core.settings``."""

    __tablename__ = "club_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RulesVersion(db.Model):
    """A published version of the club rules. The newest is the one in force."""

    __tablename__ = "rules_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class RulesAcceptance(db.Model):
    """Consent record: this person accepted this version of the rules at this time."""

    __tablename__ = "rules_acceptances"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    rules_version_id: Mapped[int] = mapped_column(ForeignKey("rules_versions.id"), primary_key=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(db.Model):
    """Append-only record of decisions, role changes, membership changes and money events.

    Details hold ids and outcomes, not personal data, so the log can be kept after a member
    erases their account.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(*_args):
    raise AuditLogIsAppendOnly("audit entries cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(*_args):
    raise AuditLogIsAppendOnly("audit entries cannot be deleted")


class InterestTag(db.Model):
    """Admin-managed list of interests that applicants, members, curators and events use."""

    __tablename__ = "interest_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
