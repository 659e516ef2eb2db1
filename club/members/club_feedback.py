"""Feedback to the club: any member writes to the club itself (its admins) and gets an answer in a
thread.

Each member message mails the admins (one message per language they read); each answer mails the
member. Writes to one member's threads are serialised (``begin_write_for_person``), so a double submit,
even two at the same instant, finds the first and makes one thread or one message. The words are
the member's: erased with them (``club.members.erasure``); the audit log holds ids only.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload, selectinload

from club.core import audit
from club.core.database import begin_write_for_person
from club.core.links import public_url_for
from club.core.mail import admins_by_language, send_mail
from club.core.pagination import Page, paginate
from club.extensions import db
from club.members import club_feedback_states as cs
from club.models.base import utcnow
from club.models.members import ClubFeedback, ClubFeedbackMessage
from club.models.user import User

# A second identical submit within this window is the same submit (double click, resend).
DUPLICATE_WINDOW = timedelta(minutes=10)
MAX_SUBJECT = 120
MAX_BODY = 4000
PER_PAGE = 20


class FeedbackError(Exception):
    """Refused; the message is safe to show. ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = "body"):
        super().__init__(message)
        self.field = field


class FeedbackNotFound(FeedbackError):
    """No such thread, or not one this person may see (the same answer for both)."""

    def __init__(self):
        super().__init__(_("There is no such conversation."), None)


# The member's side -----------------------------------------------------------------------------

def open_thread(member: User, subject: str, body: str) -> ClubFeedback:
    """A member writes to the club; the admins are told by mail."""
    subject = _clean_subject(subject)
    body = _clean(body)
    begin_write_for_person(member.id)
    existing = _recent_duplicate(member, subject, body)
    if existing is not None:
        return existing
    now = utcnow()
    thread = ClubFeedback(member_id=member.id, subject=subject, state=cs.OPEN, created_at=now, updated_at=now)
    thread.messages.append(ClubFeedbackMessage(author_id=member.id, body=body, created_at=now))
    db.session.add(thread)
    db.session.flush()
    audit.record("club_feedback.opened", actor=member, subject=thread)
    _tell_admins(thread, member, body, first=True)
    db.session.commit()
    return thread


def member_threads(member: User, page: int = 1) -> Page[ClubFeedback]:
    """The member's own threads, the latest first, a page at a time."""
    return paginate(select(ClubFeedback).where(ClubFeedback.member_id == member.id)
                    .order_by(ClubFeedback.updated_at.desc(), ClubFeedback.id.desc()), page=page, per_page=PER_PAGE)


def thread_for_member(member: User, thread_id: int) -> ClubFeedback:
    thread = _load(thread_id)
    if thread is None or thread.member_id != member.id:
        raise FeedbackNotFound()
    return thread


def member_writes(member: User, thread_id: int, body: str) -> ClubFeedbackMessage:
    """The member writes again in their thread: it is the club's turn again, and the admins are told."""
    body = _clean(body)
    begin_write_for_person(member.id)
    thread = thread_for_member(member, thread_id)
    duplicate = _last_if_same(thread, member, body)
    if duplicate is not None:
        return duplicate
    message = _append(thread, member, body)
    old_state = thread.state
    _move(thread, cs.after_member_message(thread.state))
    audit.record("club_feedback.written", actor=member, subject=thread, message=message.id,
                 reopened=old_state == cs.CLOSED)
    _tell_admins(thread, member, body, first=False)
    db.session.commit()
    return message


def export_threads(member: User) -> list[dict]:
    """The member's conversations with the club, for their data export."""
    threads = db.session.scalars(
        select(ClubFeedback).where(ClubFeedback.member_id == member.id)
        .options(selectinload(ClubFeedback.messages).selectinload(ClubFeedbackMessage.author))
        .order_by(ClubFeedback.id))
    you, the_club = _("you"), _("the club")
    return [{
        "subject": t.subject, "state": t.state, "created_at": t.created_at, "closed_at": t.closed_at,
        "messages": [{"from": you if m.author_id == member.id else (m.author.full_name if m.author else the_club),
                      "at": m.created_at, "text": m.body} for m in t.messages],
    } for t in threads]


# The admins' side -------------------------------------------------------------------------------

def admin_threads(admin: User, *, include_closed: bool = False, page: int = 1) -> Page[ClubFeedback]:
    """Every member's threads: open ones first (the longest waiting first), then answered, then
    (when asked) closed ones, the latest first. Two statements whatever the number."""
    _require_admin(admin)
    rank = case(*[(ClubFeedback.state == state, order) for state, order in cs.RANK.items()], else_=len(cs.RANK))
    waiting_since = case((ClubFeedback.state == cs.OPEN, ClubFeedback.updated_at), else_=None)
    query = (select(ClubFeedback).options(joinedload(ClubFeedback.member))
             .order_by(rank, waiting_since.asc(), ClubFeedback.updated_at.desc(), ClubFeedback.id.desc()))
    if not include_closed:
        query = query.where(ClubFeedback.state != cs.CLOSED)
    return paginate(query, page=page, per_page=PER_PAGE)


def thread_for_admin(admin: User, thread_id: int) -> ClubFeedback:
    _require_admin(admin)
    thread = _load(thread_id)
    if thread is None:
        raise FeedbackNotFound()
    return thread


def answer(admin: User, thread_id: int, body: str, *, close: bool = False) -> ClubFeedbackMessage:
    """An admin answers (and may close the thread with it); the member is told by mail."""
    _require_admin(admin)
    body = _clean(body)
    owner = db.session.scalar(select(ClubFeedback.member_id).where(ClubFeedback.id == thread_id))
    if owner is None:
        raise FeedbackNotFound()
    begin_write_for_person(owner)
    thread = thread_for_admin(admin, thread_id)
    duplicate = _last_if_same(thread, admin, body)
    if duplicate is not None:
        return duplicate
    message = _append(thread, admin, body)
    _move(thread, cs.after_answer(thread.state, close=close))
    audit.record("club_feedback.answered", actor=admin, subject=thread, message=message.id, state=thread.state)
    member = thread.member
    send_mail(member.email, _l("The club has answered you"), "club_feedback_answer", language=member.language,
              recipient=member, author=admin, thread=thread, body=body, closed=thread.state == cs.CLOSED,
              link=public_url_for("members.club_feedback_thread", thread_id=thread.id))
    db.session.commit()
    return message


def close(admin: User, thread_id: int) -> ClubFeedback:
    """An admin closes a thread without writing (nothing more to say); the member is not mailed."""
    thread = thread_for_admin(admin, thread_id)
    if cs.may_close(thread.state):
        _move(thread, cs.CLOSED)
        audit.record("club_feedback.closed", actor=admin, subject=thread)
        db.session.commit()
    return thread


# Helpers -----------------------------------------------------------------------------------------

def _require_admin(user: User) -> None:
    if not user.is_admin:
        raise FeedbackNotFound()


def _clean_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise FeedbackError(_("Please give it a subject."), "subject")
    if len(subject) > MAX_SUBJECT:
        raise FeedbackError(_("Please keep the subject under %(count)d characters.", count=MAX_SUBJECT), "subject")
    return subject


def _clean(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise FeedbackError(_("Please write a message."))
    if len(body) > MAX_BODY:
        raise FeedbackError(_("Please keep it under %(count)d characters.", count=MAX_BODY))
    return body


def _load(thread_id: int) -> ClubFeedback | None:
    return db.session.scalars(
        select(ClubFeedback).where(ClubFeedback.id == thread_id)
        .options(selectinload(ClubFeedback.messages).selectinload(ClubFeedbackMessage.author),
                 joinedload(ClubFeedback.member))
    ).first()


def _append(thread: ClubFeedback, author: User, body: str) -> ClubFeedbackMessage:
    now = utcnow()
    message = ClubFeedbackMessage(author_id=author.id, body=body, created_at=now)
    thread.messages.append(message)
    thread.updated_at = now
    db.session.flush()
    return message


def _move(thread: ClubFeedback, state: str) -> None:
    thread.state = state
    thread.updated_at = utcnow()
    thread.closed_at = thread.updated_at if state == cs.CLOSED else None


def _recent_duplicate(member: User, subject: str, body: str) -> ClubFeedback | None:
    candidates = db.session.scalars(
        select(ClubFeedback).where(ClubFeedback.member_id == member.id, ClubFeedback.subject == subject,
                                   ClubFeedback.created_at >= utcnow() - DUPLICATE_WINDOW)
        .options(selectinload(ClubFeedback.messages)))
    for thread in candidates:
        if thread.messages and thread.messages[0].body == body:
            return thread
    return None


def _last_if_same(thread: ClubFeedback, author: User, body: str) -> ClubFeedbackMessage | None:
    if not thread.messages:
        return None
    last = thread.messages[-1]
    if last.author_id == author.id and last.body == body and utcnow() - last.created_at < DUPLICATE_WINDOW:
        return last
    return None


def _tell_admins(thread: ClubFeedback, member: User, body: str, *, first: bool) -> None:
    subject = (_l("%(name)s writes to the club", name=member.full_name) if first
               else _l("%(name)s wrote again to the club", name=member.full_name))
    link = public_url_for("members.admin_club_feedback_thread", thread_id=thread.id)
    for language, emails in admins_by_language().items():
        send_mail(emails, subject, "club_feedback_new", language=language, author=member, thread=thread,
                  body=body, first=first, link=link)
