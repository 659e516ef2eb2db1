"""Curators' private notes about their members: writing one, and the admin's export of all.

Notes are never shown to the member, nor included in the member's own export."""
from __future__ import annotations

from flask_babel import gettext as _

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from club.core import audit
from club.core.database import begin_write
from club.curation.errors import CurationError, NotAllowed
from club.curation.workspace import member_in_care
from club.extensions import db
from club.models.curation import MemberNote
from club.models.user import User


def add_note(member_id: int, author: User, body: str) -> MemberNote:
    body = (body or "").strip()
    if not body:
        raise CurationError(_("Write the note first."), field="body")
    # One writer at a time per member: SQLite's write lock up front, and on PostgreSQL a lock on the
    # member's row, so the same note sent twice at the same instant is seen by the second as sent.
    begin_write()
    try:
        user, _membership = member_in_care(member_id, author)
        db.session.scalars(select(User.id).where(User.id == user.id).with_for_update()).first()
    except CurationError:
        db.session.rollback()
        raise
    latest = db.session.scalars(select(MemberNote).where(MemberNote.member_id == user.id)
                                .order_by(MemberNote.id.desc()).limit(1)).first()
    if latest is not None and latest.author_id == author.id and latest.body == body:
        db.session.rollback()  # nothing to write; let go of the lock
        return latest  # the same note sent twice (double click, resubmitted form)
    note = MemberNote(member_id=user.id, author_id=author.id, body=body)
    db.session.add(note)
    db.session.flush()
    audit.record("member.note_added", actor=author, subject=user, note_id=note.id)
    db.session.commit()
    return note


def notes_export(viewer: User) -> list[dict[str, Any]]:
    """Every private note, for the admin's export only: members' own exports never include notes."""
    if not viewer.is_admin:
        raise NotAllowed(_("Only an admin can export curators' notes."))
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
