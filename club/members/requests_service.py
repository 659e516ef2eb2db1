"""Requests to the personal curator: a thread per request, answered by the member's curator.

The member's *current* curator answers (and sees) their requests, so when the admin reassigns
a member their open requests move with them. Admins see every request.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from club.core import audit
from club.core.database import begin_write_for_person
from club.core.links import public_url_for
from club.core.mail import admins_by_language, send_mail
from club.extensions import db
from club.members import request_states as rs
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.membership import Membership
from club.models.user import User
from club.models.members import CuratorChangeRequest, CuratorRequest, RequestMessage

# A second identical submit within this window is the same submit (double click, resend).
DUPLICATE_WINDOW = timedelta(minutes=10)
MAX_BODY = 4000


class RequestError(Exception):
    """Refused; the message is safe to show."""


class RequestNotFound(RequestError):
    """No such request, or not one this person may see (the same answer for both)."""


# The member's side ---------------------------------------------------------------------------

def curator_of(member: User) -> User | None:
    membership = membership_of(member)
    return membership.curator if membership is not None else None


def open_request(member: User, topic: str, body: str) -> CuratorRequest:
    """The member asks their curator for something; the curator is told by mail."""
    if topic not in rs.TOPICS and topic != rs.HELLO:
        raise RequestError(_("Choose what your request is about."))
    body = _clean(body)
    begin_write_for_person(member.id)
    curator = curator_of(member)
    existing = _recent_duplicate(member, topic, body)
    if existing is not None:
        return existing
    now = utcnow()
    request = CuratorRequest(member_id=member.id, topic=topic, state=rs.OPEN, created_at=now, updated_at=now)
    request.messages.append(RequestMessage(author_id=member.id, body=body, created_at=now))
    db.session.add(request)
    db.session.flush()
    audit.record("request.opened", actor=member, subject=request, topic=topic)
    _tell_staff(request, member, curator, body, first=True)
    db.session.commit()
    return request


def say_hello(member: User, body: str) -> CuratorRequest:
    """The onboarding greeting: a thread like any other, so the curator can answer it."""
    if curator_of(member) is None:
        raise RequestError(_("You will be able to greet your curator as soon as one is assigned to you."))
    return open_request(member, rs.HELLO, body)


def has_said_hello(member: User) -> bool:
    return db.session.scalar(
        db.select(func.count()).select_from(CuratorRequest)
        .where(CuratorRequest.member_id == member.id, CuratorRequest.topic == rs.HELLO)
    ) > 0


def member_requests(member: User) -> list[CuratorRequest]:
    return list(db.session.scalars(
        db.select(CuratorRequest).where(CuratorRequest.member_id == member.id)
        .order_by(CuratorRequest.updated_at.desc(), CuratorRequest.id.desc())
    ))


def request_for_member(member: User, request_id: int) -> CuratorRequest:
    request = _load(request_id)
    if request is None or request.member_id != member.id:
        raise RequestNotFound(_("There is no such request."))
    return request


def member_writes(member: User, request_id: int, body: str) -> RequestMessage:
    body = _clean(body)
    begin_write_for_person(member.id)
    request = request_for_member(member, request_id)
    duplicate = _last_if_same(request, member, body)
    if duplicate is not None:
        return duplicate
    message = _append(request, member, body)
    request.state = rs.after_member_message(request.state)
    if request.state != rs.DONE:
        request.closed_at = None
    _tell_staff(request, member, curator_of(member), body, first=False)
    db.session.commit()
    return message


# The curator's side --------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkspaceRow:
    request: CuratorRequest
    member: User
    age: timedelta
    waiting_on_curator: bool


def staff_requests(staff: User, *, include_done: bool = False) -> list[WorkspaceRow]:
    """Requests of the staff member's members (admins: everyone's), oldest first, with their age.

    Two queries whatever the number of requests: the requests with their members, then the
    author of each thread's last message.
    """
    query = (db.select(CuratorRequest, User).join(User, User.id == CuratorRequest.member_id)
             .join(Membership, Membership.user_id == CuratorRequest.member_id)
             .order_by(CuratorRequest.created_at, CuratorRequest.id))
    if not include_done:
        query = query.where(CuratorRequest.state.in_(sorted(rs.LIVE)))
    if not staff.is_admin:
        query = query.where(Membership.curator_id == staff.id)
    rows = db.session.execute(query).all()
    last_authors = _last_authors([r.id for r, _ in rows])
    now = utcnow()
    return [WorkspaceRow(request=r, member=m, age=now - r.created_at,
                         waiting_on_curator=last_authors.get(r.id) == m.id) for r, m in rows]


def request_for_staff(staff: User, request_id: int) -> CuratorRequest:
    request = _load(request_id)
    if request is None or not _staff_may_see(staff, request):
        raise RequestNotFound(_("There is no such request."))
    return request


def staff_answers(staff: User, request_id: int, body: str, new_state: str | None = None) -> RequestMessage:
    """The curator answers in the thread (and may change the state); the member is told by mail."""
    body = _clean(body)
    owner = db.session.scalar(db.select(CuratorRequest.member_id).where(CuratorRequest.id == request_id))
    if owner is None:
        raise RequestNotFound(_("There is no such request."))
    begin_write_for_person(owner)
    request = request_for_staff(staff, request_id)
    duplicate = _last_if_same(request, staff, body)
    if duplicate is not None:
        return duplicate
    message = _append(request, staff, body)
    old_state = request.state
    target = new_state or rs.after_staff_message(request.state)
    rs.check_move(request.state, target)
    _move(request, target)
    if old_state != request.state:
        audit.record("request.state_changed", actor=staff, subject=request, old=old_state, new=request.state)
    member = request.member
    send_mail(member.email, _l("Your curator has answered"), "request_reply", language=member.language,
              recipient=member, author=staff,
              request=request, topic=rs.TOPIC_LABELS[request.topic], body=body,
              state=rs.LABELS[request.state], link=public_url_for("members.request_thread", request_id=request.id))
    db.session.commit()
    return message


def set_state(staff: User, request_id: int, new_state: str) -> CuratorRequest:
    request = request_for_staff(staff, request_id)
    if new_state not in rs.STATES:
        raise RequestError(_("Unknown state."))
    if request.state == new_state:
        return request
    rs.check_move(request.state, new_state)
    old_state = request.state
    _move(request, new_state)
    audit.record("request.state_changed", actor=staff, subject=request, old=old_state, new=new_state)
    member = request.member
    send_mail(member.email, rs.STATE_SUBJECTS[new_state], "request_state", language=member.language,
              recipient=member, request=request, topic=rs.TOPIC_LABELS[request.topic],
              state=rs.LABELS[new_state], link=public_url_for("members.request_thread", request_id=request.id))
    db.session.commit()
    return request


# Asking for another curator --------------------------------------------------------------------

def open_curator_change(member: User) -> CuratorChangeRequest | None:
    return db.session.scalars(
        db.select(CuratorChangeRequest).where(CuratorChangeRequest.member_id == member.id,
                                              CuratorChangeRequest.state == "open")
    ).first()


def ask_for_another_curator(member: User, reason: str) -> CuratorChangeRequest:
    """One open ask at a time; it goes to the admins, who reassign in curation."""
    begin_write_for_person(member.id)
    existing = open_curator_change(member)
    if existing is not None:
        return existing
    membership = membership_of(member)
    change = CuratorChangeRequest(member_id=member.id, curator_id=membership.curator_id if membership else None,
                                  reason=(reason or "").strip()[:MAX_BODY], state="open")
    db.session.add(change)
    db.session.flush()
    audit.record("curator_change.requested", actor=member, subject=change)
    for language, emails in admins_by_language().items():
        send_mail(emails, _l("A member asks for another curator"), "member_curator_change", language=language,
                  member=member, link=public_url_for("members.curator_changes"))
    db.session.commit()
    return change


def curator_changes(*, include_done: bool = False) -> list[CuratorChangeRequest]:
    query = (db.select(CuratorChangeRequest)
             .options(selectinload(CuratorChangeRequest.member), selectinload(CuratorChangeRequest.curator))
             .order_by(CuratorChangeRequest.created_at, CuratorChangeRequest.id))
    if not include_done:
        query = query.where(CuratorChangeRequest.state == "open")
    return list(db.session.scalars(query))


def resolve_curator_change(admin: User, change_id: int) -> CuratorChangeRequest:
    change = db.session.get(CuratorChangeRequest, change_id)
    if change is None:
        raise RequestNotFound(_("There is no such request."))
    if change.state != "done":
        change.state = "done"
        change.resolved_at = utcnow()
        change.resolved_by_id = admin.id
        audit.record("curator_change.resolved", actor=admin, subject=change)
        db.session.commit()
    return change


# Helpers ---------------------------------------------------------------------------------------

def _clean(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise RequestError(_("Please write a message."))
    if len(body) > MAX_BODY:
        raise RequestError(_("Please keep it under %(count)d characters.", count=MAX_BODY))
    return body


def _load(request_id: int) -> CuratorRequest | None:
    return db.session.scalars(
        db.select(CuratorRequest).where(CuratorRequest.id == request_id)
        .options(selectinload(CuratorRequest.messages).selectinload(RequestMessage.author),
                 selectinload(CuratorRequest.member))
    ).first()


def _staff_may_see(staff: User, request: CuratorRequest) -> bool:
    if staff.is_admin:
        return True
    if not staff.is_curator:
        return False
    membership = db.session.scalars(db.select(Membership).where(Membership.user_id == request.member_id)).first()
    return membership is not None and membership.curator_id == staff.id


def _append(request: CuratorRequest, author: User, body: str) -> RequestMessage:
    now = utcnow()
    message = RequestMessage(author_id=author.id, body=body, created_at=now)
    request.messages.append(message)
    request.updated_at = now
    db.session.flush()
    return message


def _move(request: CuratorRequest, state: str) -> None:
    request.state = state
    request.updated_at = utcnow()
    request.closed_at = request.updated_at if state == rs.DONE else None


def _recent_duplicate(member: User, topic: str, body: str) -> CuratorRequest | None:
    since = utcnow() - DUPLICATE_WINDOW
    candidates = db.session.scalars(
        db.select(CuratorRequest).where(CuratorRequest.member_id == member.id, CuratorRequest.topic == topic,
                                        CuratorRequest.created_at >= since)
        .options(selectinload(CuratorRequest.messages))
    )
    for request in candidates:
        if request.messages and request.messages[0].body == body:
            return request
    return None


def _last_if_same(request: CuratorRequest, author: User, body: str) -> RequestMessage | None:
    if not request.messages:
        return None
    last = request.messages[-1]
    if last.author_id == author.id and last.body == body and utcnow() - last.created_at < DUPLICATE_WINDOW:
        return last
    return None


def _last_authors(request_ids: list[int]) -> dict[int, int | None]:
    if not request_ids:
        return {}
    latest = (db.select(func.max(RequestMessage.id).label("id")).where(RequestMessage.request_id.in_(request_ids))
              .group_by(RequestMessage.request_id).subquery())
    return dict(db.session.execute(
        db.select(RequestMessage.request_id, RequestMessage.author_id).join(latest, latest.c.id == RequestMessage.id)
    ).all())


def _tell_staff(request: CuratorRequest, member: User, curator: User | None, body: str, *, first: bool) -> None:
    if curator is not None:
        groups = {curator.language: [curator.email]}
    else:
        # No curator yet: the admins look after the member until one is assigned.
        groups = admins_by_language()
    link = public_url_for("members.staff_request", request_id=request.id)
    subject = (_l("New request from %(name)s", name=member.full_name) if first
               else _l("%(name)s wrote again", name=member.full_name))
    for language, recipients in groups.items():
        send_mail(recipients, subject, "request_new" if first else "request_reply", language=language,
                  recipient=curator, author=member, request=request, topic=rs.TOPIC_LABELS[request.topic],
                  body=body, state=rs.LABELS[request.state], link=link)


def age_label(age: timedelta) -> str:
    """"3 days", "5 hours", "12 minutes": how long a request has been waiting."""
    seconds = max(0, int(age.total_seconds()))
    if seconds >= 86400:
        return ngettext("%(num)d day", "%(num)d days", seconds // 86400)
    if seconds >= 3600:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    if seconds >= 60:
        return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60)
    return _("just now")


