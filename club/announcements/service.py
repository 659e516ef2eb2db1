"""Announcements: admins and curators post them; curators change their own, admins any; members read
the latest on home and all of them, a page at a time. Every change is in the audit log (ids only)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from club.announcements import rules
from club.core import audit
from club.core.database import begin_write, begin_write_for_person
from club.core.pagination import Page, paginate
from club.extensions import db
from club.membership.access import has_member_access
from club.models.announcements import Announcement
from club.models.base import utcnow
from club.models.user import User

HOME_LIMIT = 3
PER_PAGE = 20
TITLE_MAX = 200
BODY_MAX = 5000
TWIN_WINDOW = timedelta(minutes=10)  # the same words by the same person within this are one announcement


class AnnouncementError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class AnnouncementNotFound(Exception):
    """No such announcement, or not one this person may see or change (answers 404)."""


@dataclass(frozen=True)
class Draft:
    title: str
    body: str
    pinned: bool = False


def may_post(user: User) -> bool:
    return user.is_authenticated and rules.may_post(is_admin=user.is_admin, is_curator=user.is_curator)


def may_change(user: User, announcement: Announcement) -> bool:
    return user.is_authenticated and rules.may_change(is_admin=user.is_admin, is_curator=user.is_curator,
                                                      actor_id=user.id, author_id=announcement.author_id)


def _order():
    return Announcement.pinned.desc(), Announcement.created_at.desc(), Announcement.id.desc()


def _check(draft: Draft) -> Draft:
    title, body = (draft.title or "").strip(), (draft.body or "").strip()
    if not title:
        raise AnnouncementError(_("Give the announcement a title."), "title")
    if not body:
        raise AnnouncementError(_("Write what you want to tell the members."), "body")
    return Draft(title=title[:TITLE_MAX], body=body[:BODY_MAX], pinned=bool(draft.pinned))


def post(actor: User, draft: Draft) -> Announcement:
    """A new announcement, shown to members at once. A double submit makes one."""
    if not may_post(actor):
        raise AnnouncementNotFound()
    draft = _check(draft)
    # One writer per author: SQLite's write lock up front, on PostgreSQL a lock on the author's row,
    # so the same announcement sent twice at the same instant is seen by the second as posted.
    begin_write_for_person(actor.id)
    twin = db.session.scalars(select(Announcement).where(
        Announcement.author_id == actor.id, Announcement.title == draft.title, Announcement.body == draft.body,
        Announcement.created_at > utcnow() - TWIN_WINDOW)).first()
    if twin is not None:
        db.session.rollback()
        return twin
    announcement = Announcement(title=draft.title, body=draft.body, pinned=draft.pinned, author_id=actor.id)
    db.session.add(announcement)
    db.session.flush()
    audit.record("announcement.posted", actor=actor, subject=announcement, pinned=announcement.pinned)
    db.session.commit()
    return announcement


def for_change(actor: User, announcement_id: int) -> Announcement:
    """The announcement this person may edit or remove; anything else does not exist for them."""
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None or not may_change(actor, announcement):
        raise AnnouncementNotFound()
    return announcement


def edit(actor: User, announcement_id: int, draft: Draft) -> Announcement:
    draft = _check(draft)
    begin_write()
    try:
        announcement = for_change(actor, announcement_id)
    except AnnouncementNotFound:
        db.session.rollback()
        raise
    changed = [name for name in ("title", "body", "pinned") if getattr(announcement, name) != getattr(draft, name)]
    if not changed:
        db.session.rollback()
        return db.session.get(Announcement, announcement_id)
    for name in changed:
        setattr(announcement, name, getattr(draft, name))
    audit.record("announcement.edited", actor=actor, subject=announcement, changed=changed)
    db.session.commit()
    return announcement


def remove(actor: User, announcement_id: int) -> None:
    """Take an announcement down for good. Removing one already gone is not an error (a double click)."""
    begin_write()
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None or not may_change(actor, announcement):
        db.session.rollback()
        if announcement is None and may_post(actor):
            return
        raise AnnouncementNotFound()
    audit.record("announcement.removed", actor=actor, subject=announcement)
    db.session.delete(announcement)
    db.session.commit()


def latest(limit: int = HOME_LIMIT) -> list[Announcement]:
    """What home shows: pinned first, then the newest. One query."""
    return list(db.session.scalars(select(Announcement).order_by(*_order()).limit(limit)))


def staff_page(page: int = 1) -> Page:
    """Every announcement for the staff page, with its author: a fixed number of queries."""
    query = select(Announcement).options(selectinload(Announcement.author)).order_by(*_order())
    return paginate(query, page=page, per_page=PER_PAGE)


def members_page(viewer: User, page: int = 1) -> Page:
    """Every announcement, for members with access and staff."""
    if not (has_member_access(viewer) or viewer.is_staff):
        raise AnnouncementNotFound()
    return paginate(select(Announcement).order_by(*_order()), page=page, per_page=PER_PAGE)
