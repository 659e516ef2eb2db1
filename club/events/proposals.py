"""Members' own evenings: a member proposes an evening, staff approve it (editing it first if they
wish) or decline it with a reason, and the member may withdraw it while it waits.

An approved proposal is published at once as an event open to all members, with the member as its
host: the host then sees the door list of that event (``club.events.visibility.door_event``) and
hosting counts for the leaders' ranking (``Event.host_id``). A decision is one conditional UPDATE
from ``proposed``, so two curators deciding at the same instant make one decision; a double submit
of the proposal form makes one proposal (the member's row is locked while the twin is looked for).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _, lazy_gettext as _l, lazy_pgettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from club.core import audit, settings
from club.core.database import begin_write_for_person, write_transaction
from club.core.links import public_url_for
from club.core.mail import send_mail
from club.core.pagination import Page, paginate
from club.events.errors import EventError, EventNotFound
from club.events.links import event_link
from club.extensions import db
from club.membership.access import has_member_access
from club.models.base import utcnow
from club.models.events import (EVENT_PUBLISHED, PROPOSAL_APPROVED, PROPOSAL_DECLINED, PROPOSAL_PROPOSED,
                                PROPOSAL_STATES, PROPOSAL_WITHDRAWN, VISIBLE_TO_MEMBERS, Event, EventProposal)
from club.models.user import User

STATE_LABELS = {PROPOSAL_PROPOSED: _l("Awaiting review"), PROPOSAL_APPROVED: _l("Approved and published"),
                PROPOSAL_DECLINED: lazy_pgettext("state of a proposal", "Declined"),
                PROPOSAL_WITHDRAWN: lazy_pgettext("state of a proposal", "Withdrawn")}
PER_PAGE = 20
MIN_SEATS, MAX_SEATS = 2, 200
MAX_GUESTS = 10
TWIN_WINDOW = timedelta(minutes=10)
CANCEL_CUTOFF_HOURS = 24  # a member's evening closes cancellations a day before, like most of the club's


@dataclass
class ProposalDraft:
    """What the proposal form (the member's, or the staff's before approving) collects, in UTC."""

    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    venue_name: str
    venue_address: str
    capacity: int
    max_guests: int


@dataclass
class StaffQueue:
    state: str
    counts: dict[str, int]
    page: Page


def check_draft(draft: ProposalDraft, now: datetime) -> None:
    """The rules of a proposal, each refusal at its field. Pure: tested with a table."""
    if draft.starts_at <= now:
        raise EventError(_("The start must be in the future."), "starts_at")
    if draft.ends_at <= draft.starts_at:
        raise EventError(_("The end must be after the start."), "ends_at")
    if not MIN_SEATS <= draft.capacity <= MAX_SEATS:
        raise EventError(_("Between %(low)d and %(high)d seats.", low=MIN_SEATS, high=MAX_SEATS), "capacity")
    if not 0 <= draft.max_guests <= MAX_GUESTS:
        raise EventError(_("Between %(low)d and %(high)d guests.", low=0, high=MAX_GUESTS), "max_guests")


def may_propose(user: User | None) -> bool:
    return user is not None and user.is_authenticated and has_member_access(user)


def _clean(draft: ProposalDraft) -> dict:
    return dict(title=draft.title.strip(), description=(draft.description or "").strip(),
                starts_at=draft.starts_at, ends_at=draft.ends_at, venue_name=draft.venue_name.strip(),
                venue_address=(draft.venue_address or "").strip(), capacity=draft.capacity,
                max_guests=draft.max_guests)


def propose(member: User, draft: ProposalDraft) -> EventProposal:
    """A member's proposal, waiting for staff. The same evening sent twice within minutes is one."""
    if not may_propose(member):
        raise EventNotFound()
    check_draft(draft, utcnow())
    values = _clean(draft)
    begin_write_for_person(member.id)
    twin = db.session.scalars(select(EventProposal).where(
        EventProposal.member_id == member.id, EventProposal.title == values["title"],
        EventProposal.starts_at == values["starts_at"], EventProposal.state == PROPOSAL_PROPOSED,
        EventProposal.created_at > utcnow() - TWIN_WINDOW)).first()
    if twin is not None:
        db.session.rollback()
        return twin
    proposal = EventProposal(member_id=member.id, state=PROPOSAL_PROPOSED, decline_reason="", **values)
    db.session.add(proposal)
    db.session.flush()
    audit.record("event_proposal.proposed", actor=member, subject=proposal)
    db.session.commit()
    return proposal


def _move(proposal_id: int, to: str, *, member_id: int | None = None, **values) -> bool:
    """Move a proposal out of ``proposed``: True when this call did it (one winner under contention)."""
    statement = update(EventProposal).where(EventProposal.id == proposal_id, EventProposal.state == PROPOSAL_PROPOSED)
    if member_id is not None:
        statement = statement.where(EventProposal.member_id == member_id)
    result = db.session.execute(statement.values(state=to, **values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _already_decided() -> EventError:
    return EventError(_("This proposal has already been decided or withdrawn."))


def withdraw(member: User, proposal_id: int) -> EventProposal:
    """The member takes back a proposal that is still waiting."""
    proposal = db.session.get(EventProposal, proposal_id)
    if proposal is None or proposal.member_id != member.id:
        raise EventNotFound()
    with write_transaction():
        if not _move(proposal_id, PROPOSAL_WITHDRAWN, member_id=member.id, decided_at=utcnow()):
            raise _already_decided()
        audit.record("event_proposal.withdrawn", actor=member, subject=proposal)
        db.session.commit()
    db.session.refresh(proposal)
    return proposal


def my_proposals(member: User, page: int = 1) -> Page:
    """The member's proposals, newest first, with the event of those approved."""
    statement = (select(EventProposal).where(EventProposal.member_id == member.id)
                 .options(selectinload(EventProposal.event))
                 .order_by(EventProposal.created_at.desc(), EventProposal.id.desc()))
    return paginate(statement, page=page, per_page=PER_PAGE)


def _require_staff(user: User | None) -> None:
    if user is None or not user.is_authenticated or not user.is_staff:
        raise EventNotFound()


def staff_queue(user: User, state: str | None, page: int = 1) -> StaffQueue:
    """Proposals in one state (waiting ones by default, oldest first), with the count of each state."""
    _require_staff(user)
    state = state if state in PROPOSAL_STATES else PROPOSAL_PROPOSED
    counts = dict.fromkeys(PROPOSAL_STATES, 0)
    counts.update(db.session.execute(select(EventProposal.state, func.count()).group_by(EventProposal.state)).all())
    order = (EventProposal.created_at, EventProposal.id) if state == PROPOSAL_PROPOSED \
        else (EventProposal.decided_at.desc(), EventProposal.id.desc())
    statement = (select(EventProposal).where(EventProposal.state == state)
                 .options(selectinload(EventProposal.member), selectinload(EventProposal.event))
                 .order_by(*order))
    return StaffQueue(state=state, counts=counts, page=paginate(statement, page=page, per_page=PER_PAGE,
                                                                total=counts[state]))


def proposal_for_staff(user: User | None, proposal_id: int) -> EventProposal:
    _require_staff(user)
    proposal = db.session.get(EventProposal, proposal_id)
    if proposal is None:
        raise EventNotFound()
    return proposal


def form_values(proposal: EventProposal) -> dict:
    """A proposal in the form's terms (wall-clock times in the club's zone), for staff to edit."""
    zone = ZoneInfo(settings.get("timezone"))
    values = {c: getattr(proposal, c) for c in ("title", "description", "venue_name", "venue_address",
                                                  "capacity", "max_guests")}
    values["starts_at"] = proposal.starts_at.astimezone(zone).replace(tzinfo=None)
    values["ends_at"] = proposal.ends_at.astimezone(zone).replace(tzinfo=None)
    return values


def approve(actor: User, proposal_id: int, draft: ProposalDraft) -> Event:
    """Publish the proposal (as ``draft``: the member's words, or staff's edit of them) as an event
    open to all members, hosted by the member, and tell the member."""
    proposal = proposal_for_staff(actor, proposal_id)
    check_draft(draft, utcnow())
    member = proposal.member
    if member is None or not has_member_access(member):
        raise EventError(_("The member who proposed this evening no longer has access to the club."))
    values = _clean(draft)
    with write_transaction():
        now = utcnow()
        if not _move(proposal_id, PROPOSAL_APPROVED, decided_by_id=actor.id, decided_at=now):
            raise _already_decided()
        event = Event(state=EVENT_PUBLISHED, visibility=VISIBLE_TO_MEMBERS, host_id=member.id,
                      created_by_id=actor.id, seats_taken=0, cancel_cutoff_hours=CANCEL_CUTOFF_HOURS,
                      published_at=now, **values)
        db.session.add(event)
        db.session.flush()
        db.session.execute(update(EventProposal).where(EventProposal.id == proposal_id).values(event_id=event.id)
                           .execution_options(synchronize_session=False))
        audit.record("event_proposal.approved", actor=actor, subject=proposal, event_id=event.id,
                     edited=values != _clean(_as_draft(proposal)))
        audit.record("event.published", actor=actor, subject=event, host_id=member.id, proposal_id=proposal_id)
        send_mail(member.email, _l("Your evening is published: %(title)s", title=event.title), "proposal_approved",
                  language=member.language, user=member, event=event, link=event_link(event),
                  attendees_link=public_url_for("events.attendees", event_id=event.id))
        db.session.commit()
    db.session.refresh(proposal)
    return event


def decline(actor: User, proposal_id: int, reason: str) -> EventProposal:
    """Decline with a reason; the member is told, in their language, with the reason."""
    proposal = proposal_for_staff(actor, proposal_id)
    reason = (reason or "").strip()
    if not reason:
        raise EventError(_("Give the member a reason."), "reason")
    with write_transaction():
        if not _move(proposal_id, PROPOSAL_DECLINED, decided_by_id=actor.id, decided_at=utcnow(),
                     decline_reason=reason):
            raise _already_decided()
        audit.record("event_proposal.declined", actor=actor, subject=proposal)
        member = proposal.member
        if member is not None and member.deleted_at is None:
            send_mail(member.email, _l("About the evening you proposed: %(title)s", title=proposal.title),
                      "proposal_declined", language=member.language, user=member, proposal=proposal,
                      reason=reason, link=public_url_for("events.my_proposals"))
        db.session.commit()
    db.session.refresh(proposal)
    return proposal


def _as_draft(proposal: EventProposal) -> ProposalDraft:
    return ProposalDraft(title=proposal.title, description=proposal.description, starts_at=proposal.starts_at,
                         ends_at=proposal.ends_at, venue_name=proposal.venue_name,
                         venue_address=proposal.venue_address, capacity=proposal.capacity,
                         max_guests=proposal.max_guests)


def erase_member(user_id: int) -> None:
    """The member's words go: every proposal of theirs loses its texts (an approved one lives on as
    the club's event), and one still waiting is withdrawn. Called by the events' eraser."""
    db.session.execute(update(EventProposal).where(EventProposal.member_id == user_id,
                                                   EventProposal.state == PROPOSAL_PROPOSED)
                       .values(state=PROPOSAL_WITHDRAWN, decided_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.execute(update(EventProposal).where(EventProposal.member_id == user_id)
                       .values(title="", description="", venue_name="", venue_address="", decline_reason="")
                       .execution_options(synchronize_session=False))
