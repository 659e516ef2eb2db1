"""The rules of events, as plain functions: who may see an event, where a party goes (seat or
waitlist), whom freed seats go to, when a member may still cancel, who may give feedback.

No database and no request here, so each rule is tested with a table of cases.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"


@dataclass(frozen=True)
class Viewer:
    """What visibility needs to know about the person asking."""

    is_staff: bool = False
    has_access: bool = False  # a member whose membership grants access
    invited: bool = False  # named on this event's guest list


def may_see(viewer: Viewer, *, state: str, invite_only: bool) -> bool:
    """Staff see every event, drafts included. Members with access see published (and called-off)
    events open to all members, and invite-only ones they are invited to. Nobody else sees any."""
    if viewer.is_staff:
        return True
    if not viewer.has_access or state == "draft":
        return False
    return viewer.invited or not invite_only


def placement(capacity: int, seats_taken: int, party_size: int) -> str:
    """A new party is seated if all of it fits in the free seats, else it joins the waitlist.

    Free seats exist only when no waiting party fits them (freed seats are handed out at once,
    see ``parties_to_promote``), so seating a party that fits never jumps anyone who could have
    used the seats. A party is never split: a member and their guests come together.
    """
    if party_size < 1:
        raise ValueError("a party has at least one person")
    return CONFIRMED if seats_taken + party_size <= capacity else WAITLISTED


def guests_that_fit(capacity: int, seats_taken: int, guests: int) -> int | None:
    """When a party with guests does not fit but some seats are free: how many guests could still
    come along now (0: the member alone). None when the party fits, or nothing is free at all.

    The member is asked, never split silently: they may come with fewer, or wait with everyone.
    """
    free = capacity - seats_taken
    if guests < 1 or free < 1 or 1 + guests <= free:
        return None
    return free - 1


def parties_to_promote(free_seats: int, waiting: list[tuple[int, int]]) -> list[int]:
    """Given the waitlist in order as (booking id, party size), the ids that get the free seats.

    First come, first served, among parties that fit: a party of four at the head does not
    block a party of two behind it when two seats free up; it keeps its place for the next seats.
    """
    promoted = []
    for booking_id, size in waiting:
        if size <= free_seats:
            promoted.append(booking_id)
            free_seats -= size
        if free_seats <= 0:
            break
    return promoted


def cancellation_closes_at(starts_at: datetime, cutoff_hours: int) -> datetime:
    return starts_at - timedelta(hours=cutoff_hours)


def may_cancel(*, state: str, starts_at: datetime, cutoff_hours: int, now: datetime) -> bool:
    """A seat may be released until the cut-off; a place on the waitlist may be given up any
    time before the start (it holds no seat, so nobody is left with an empty chair)."""
    if state == WAITLISTED:
        return now < starts_at
    if state == CONFIRMED:
        return now < cancellation_closes_at(starts_at, cutoff_hours)
    return False


def may_give_feedback(*, booking_state: str | None, attendance: str | None, check_in_used: bool,
                      ended: bool, already_given: bool) -> bool:
    """Feedback comes from people who were there, once, after the event.

    "Were there" is the door list when the host used check-in for this event (attended only);
    when nobody was checked in, every confirmed booking counts.
    """
    if not ended or already_given or booking_state != CONFIRMED:
        return False
    if check_in_used:
        return attendance == "attended"
    return True


def guests_allowed(guests: int, max_guests: int) -> bool:
    return 0 <= guests <= max_guests
