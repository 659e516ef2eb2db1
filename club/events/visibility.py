"""Who may see which event: the rule of ``club.events.rules.may_see`` applied to a person and an
event, as a check on one event and as an SQL condition for lists. Events a person may not see
answer 404; management pages exist for staff only."""
from __future__ import annotations

from sqlalchemy import and_, exists, or_

from club.events import rules
from club.events.errors import EventNotFound
from club.extensions import db
from club.membership.access import has_member_access
from club.models.user import User
from club.models.events import EVENT_DRAFT, VISIBLE_TO_MEMBERS, Event, EventInvitation


def _viewer(user: User | None, event: Event, has_access: bool | None = None) -> rules.Viewer:
    if user is None or not user.is_authenticated:
        return rules.Viewer()
    if user.is_staff:
        return rules.Viewer(is_staff=True)
    invited = event.is_invite_only and db.session.get(EventInvitation, (event.id, user.id)) is not None
    return rules.Viewer(has_access=has_member_access(user) if has_access is None else has_access, invited=invited)


def may_see(user: User | None, event: Event, *, has_access: bool | None = None) -> bool:
    """``has_access``: the caller already knows whether the person has member access (one query less)."""
    return rules.may_see(_viewer(user, event, has_access), state=event.state, invite_only=event.is_invite_only)


def visible_to(user: User):
    """SQL condition: events this person may see (the same rule as ``rules.may_see``)."""
    if user.is_staff:
        return True
    if not has_member_access(user):
        return False
    invited = exists().where(EventInvitation.event_id == Event.id, EventInvitation.user_id == user.id)
    return and_(Event.state != EVENT_DRAFT, or_(Event.visibility == VISIBLE_TO_MEMBERS, invited))


def event_for(user: User | None, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not may_see(user, event):
        raise EventNotFound()
    return event


def staff_event(user: User | None, event_id: int) -> Event:
    """Management pages: staff only; to everyone else the page does not exist."""
    if user is None or not user.is_authenticated or not user.is_staff:
        raise EventNotFound()
    return event_for(user, event_id)


def door_event(user: User | None, event_id: int) -> Event:
    """The door list and check-in: staff for every event, and a member for the event they host
    (an approved member's evening), no other; to everyone else the page does not exist."""
    if user is None or not user.is_authenticated:
        raise EventNotFound()
    event = event_for(user, event_id)
    if not user.is_staff and event.host_id != user.id:
        raise EventNotFound()
    return event
