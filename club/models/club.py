"""Club-wide records: run-time settings, the rules text and who accepted which version, the audit
log, and the interest vocabulary."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, String, Text, event
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


# The ORM listeners above stop the ORM; these triggers make the database itself refuse an UPDATE
# or DELETE of audit_log (bulk statements and raw SQL too; on PostgreSQL TRUNCATE as well). The
# trigger has no way round it built in: only an account that may alter the table (drop or disable
# the trigger, DDL a migration would show) can change the log. The same statements are in the
# migration that adds them (migrations/versions/e5f2_privacy_audit_guard.py): they are built by
# ``db.create_all()`` (the tests) and by ``flask db upgrade`` alike. Note: an Alembic batch
# migration of audit_log on SQLite rebuilds the table and must create the triggers again.
AUDIT_LOG_GUARD_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION USING MESSAGE = 'audit_log is append-only: ' || TG_OP || ' refused', "
        "ERRCODE = 'insufficient_privilege'; END $$",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()",
    ),
}

for _dialect, _statements in AUDIT_LOG_GUARD_DDL.items():
    for _statement in _statements:
        event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))


class InterestTag(db.Model):
    """Admin-managed list of interests that applicants, members, curators and events use."""

    __tablename__ = "interest_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


class OutboxMail(db.Model):
    """One mail the club means to send, written in the same transaction as the change it reports
    (``club.core.mail.send_mail``) and delivered afterwards by a worker (``club.core.outbox``).

    ``state``: waiting → sending → sent, or back to waiting (with ``next_attempt_at`` later) when
    delivery failed, and failed after the last attempt. The rendered ``body`` is kept only until
    the mail is sent (it may hold a sign-in or reset link); ``context`` says what it was about,
    with records reduced to their ids.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipients: Mapped[str] = mapped_column(Text)  # comma-separated, as in the To header
    subject: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(80))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    language: Mapped[str | None] = mapped_column(String(10))  # the recipient's, when known
    body: Mapped[str | None] = mapped_column(Text)  # None once sent
    message_id: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(10), default="waiting", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when a worker claims the row; a claim older than the lease is taken to be a dead worker's.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
