"""Writing to the append-only audit log, in the same transaction as the change it records."""
from __future__ import annotations

from typing import Any

from club.core import erasure
from club.extensions import db
from club.models.club import AuditEntry
from club.models.user import User


def record(action: str, *, actor: User | None = None, subject: Any = None, **details: Any) -> AuditEntry:
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        subject_type=getattr(subject, "__tablename__", None) if subject is not None else None,
        subject_id=getattr(subject, "id", None) if subject is not None else None,
        details=_jsonable(details),
    )
    db.session.add(entry)
    return entry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


erasure.keep("audit_log", "append-only: ids and outcomes, no free text")
