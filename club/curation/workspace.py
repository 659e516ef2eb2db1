"""The curator's workspace: their members at a glance, and one member's file (profile, private
notes, who looked after them, their ratings of evenings), seen by the member's curator or an admin."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from club.curation.errors import NotAllowed, NotFound, require_staff
from club.curation.loads import CuratorSummary, curators
from club.events.booking import upcoming_booking_counts
from club.events.feedback import GivenFeedback, feedback_by
from club.extensions import db
from club.membership.access import membership_of
from club.models.curation import CuratorAssignment, MemberNote
from club.models.membership import MemberProfile, Membership
from club.models.user import User


@dataclass
class MemberRow:
    user: User
    membership: Membership
    curator_name: str | None
    last_contact: datetime | None
    upcoming_bookings: int
    has_photo: bool = False  # staff see members' photos, to greet them at events


def my_members(viewer: User, curator_id: int | None = None) -> list[MemberRow]:
    """The curator's own members (admins: everyone, or one curator's), in a fixed number of queries."""
    require_staff(viewer)
    if not viewer.is_admin:
        curator_id = viewer.id
    last_note = (select(MemberNote.member_id, func.max(MemberNote.created_at).label("last"))
                 .group_by(MemberNote.member_id).subquery())
    curator = aliased(User)
    query = (select(Membership, User, curator.full_name, last_note.c.last, MemberProfile.photo_filename)
             .join(User, User.id == Membership.user_id)
             .outerjoin(MemberProfile, MemberProfile.user_id == Membership.user_id)
             .outerjoin(curator, curator.id == Membership.curator_id)
             .outerjoin(last_note, last_note.c.member_id == Membership.user_id)
             .where(User.deleted_at.is_(None))
             .order_by(User.full_name, User.id))
    if curator_id is not None:
        query = query.where(Membership.curator_id == curator_id)
    rows = db.session.execute(query).all()
    bookings = upcoming_booking_counts([row[1].id for row in rows]) if rows else {}
    return [MemberRow(user, membership, curator_name, last, bookings.get(user.id, 0), photo is not None)
            for membership, user, curator_name, last, photo in rows]


@dataclass
class MemberFile:
    user: User
    membership: Membership | None
    profile: MemberProfile | None
    curator: User | None
    notes: list[MemberNote]
    assignments: list[CuratorAssignment]
    can_reassign: bool
    curator_choices: list[CuratorSummary]
    upcoming_bookings: int
    feedback: list[GivenFeedback] = field(default_factory=list)  # their latest ratings of evenings


def member_in_care(member_id: int, viewer: User) -> tuple[User, Membership]:
    """The member and their membership, if ``viewer`` is their curator or an admin."""
    require_staff(viewer)
    user = db.session.get(User, member_id)
    if user is None or user.deleted_at is not None:
        raise NotFound(_("There is no such member."))
    membership = membership_of(user)
    if membership is None:
        raise NotFound(_("There is no such member."))
    if not viewer.is_admin and membership.curator_id != viewer.id:
        raise NotAllowed(_("This member is looked after by another curator."))
    return user, membership


def member_file(member_id: int, viewer: User) -> MemberFile:
    """A member as their curator (or an admin) sees them, with the private notes."""
    user, membership = member_in_care(member_id, viewer)
    notes = list(db.session.scalars(
        select(MemberNote).where(MemberNote.member_id == user.id).options(joinedload(MemberNote.author))
        .order_by(MemberNote.created_at.desc(), MemberNote.id.desc())))
    assignments = list(db.session.scalars(
        select(CuratorAssignment).where(CuratorAssignment.member_id == user.id)
        .options(joinedload(CuratorAssignment.curator), joinedload(CuratorAssignment.previous_curator),
                 joinedload(CuratorAssignment.assigned_by))
        .order_by(CuratorAssignment.assigned_at.desc(), CuratorAssignment.id.desc())))
    counts = upcoming_booking_counts([user.id])
    return MemberFile(
        user=user, membership=membership, profile=db.session.get(MemberProfile, user.id),
        curator=db.session.get(User, membership.curator_id) if membership and membership.curator_id else None,
        notes=notes, assignments=assignments, can_reassign=viewer.is_admin,
        curator_choices=curators() if viewer.is_admin else [],
        upcoming_bookings=counts.get(user.id, 0),
        feedback=feedback_by(user.id),
    )
