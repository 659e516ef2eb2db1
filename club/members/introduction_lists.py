"""What each person sees of introductions: a member's own list (/me/introductions) and the staff's
list (/curation/introductions). Filtered and paginated in SQL; a page costs the same statements
whatever the number of introductions.

A member sees the other side as the directory shows them (``club.members.privacy``: hidden fields
stay hidden), and their contact details (email, the links on their profile) only once the
introduction is made: ``contact`` is None in every other state, so no page can show it. Closed
introductions read "did not happen", whoever ended them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import aliased

from club.core.pagination import Page, paginate
from club.extensions import db
from club.members import introduction_rules as rules, privacy
from club.models.members import Introduction
from club.models.membership import MemberProfile, Membership
from club.models.user import User

PER_PAGE = 20
STAFF_TABS = {"all": None, "open": sorted(rules.OPEN), "made": [rules.MADE],
              "closed": [rules.DECLINED, rules.WITHDRAWN]}


@dataclass(frozen=True)
class Contact:
    email: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemberIntroduction:
    id: int
    state: str
    other_name: str
    other: privacy.DirectoryCard | None  # None when they are hidden from the directory
    waiting_for_me: bool
    i_accepted: bool
    asked_by_me: bool
    proposed_by: str | None  # the curator's name, when staff proposed it
    note: str | None
    created_at: datetime
    updated_at: datetime
    contact: Contact | None = None  # only once made
    may_withdraw: bool = False

    @property
    def did_not_happen(self) -> bool:
        return self.state in (rules.DECLINED, rules.WITHDRAWN)


def for_member(member: User, page: int = 1) -> Page[MemberIntroduction]:
    """``member``'s introductions: those waiting for their answer first, then under way, made, ended."""
    mine = or_(Introduction.member_a_id == member.id, Introduction.member_b_id == member.id)
    is_open = Introduction.state.in_(sorted(rules.OPEN))
    order = case(
        (and_(is_open, Introduction.member_a_id == member.id, Introduction.a_accepted_at.is_(None)), 0),
        (and_(is_open, Introduction.member_b_id == member.id, Introduction.b_accepted_at.is_(None)), 0),
        (is_open, 1), (Introduction.state == rules.MADE, 2), else_=3)
    cut = paginate(select(Introduction).where(mine).order_by(order, Introduction.updated_at.desc(),
                                                            Introduction.id.desc()),
                   page=page, per_page=PER_PAGE)
    others = {i.member_b_id if i.member_a_id == member.id else i.member_a_id for i in cut.items}
    proposers = {i.asked_by_id for i in cut.items if i.kind == rules.PROPOSED_BY_STAFF and i.asked_by_id}
    people = _people(others | proposers)
    rows = []
    for intro in cut.items:
        side = rules.side_of(intro.member_a_id, intro.member_b_id, member.id)
        other_id = intro.member_b_id if side == rules.A else intro.member_a_id
        accepted = (intro.a_accepted_at if side == rules.A else intro.b_accepted_at) is not None
        name, email, joined_at, profile = people.get(other_id, ("", "", None, None))
        card = privacy.card_for(user_id=other_id, name=name, joined_at=joined_at, profile=profile,
                                relation=privacy.MEMBER)
        contact = (Contact(email=email, links=tuple(profile.links or ()) if profile else ())
                   if rules.shows_contact(intro.state) else None)
        rows.append(MemberIntroduction(
            id=intro.id, state=intro.state, other_name=name, other=card,
            waiting_for_me=rules.waits_for(intro.state, accepted), i_accepted=accepted,
            asked_by_me=intro.asked_by_id == member.id,
            proposed_by=people.get(intro.asked_by_id, ("",))[0] if intro.kind == rules.PROPOSED_BY_STAFF else None,
            note=intro.note, created_at=intro.created_at, updated_at=intro.updated_at, contact=contact,
            may_withdraw=rules.may_withdraw(intro.state, is_side=True, side_accepted=accepted,
                                            is_staff_in_charge=False)))
    return Page(items=rows, page=cut.page, per_page=cut.per_page, total=cut.total)


def _people(ids: set[int]) -> dict[int, tuple]:
    """(name, email, joined_at, profile) of each person, in one statement."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.full_name, User.email, Membership.joined_at, MemberProfile)
        .outerjoin(Membership, Membership.user_id == User.id).outerjoin(MemberProfile, MemberProfile.user_id == User.id)
        .where(User.id.in_(sorted(ids)))).all()
    return {row[0]: tuple(row[1:]) for row in rows}


@dataclass(frozen=True)
class StaffIntroduction:
    id: int
    state: str
    kind: str
    first_name: str
    second_name: str
    asked_by_name: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def label(self):
        return rules.STAFF_LABELS[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN


@dataclass(frozen=True)
class StaffList:
    page: Page[StaffIntroduction]
    show: str
    counts: dict[str, int]


def for_staff(staff: User, show: str = "all", page: int = 1) -> StaffList:
    """The introductions ``staff`` is in charge of (an admin: all), newest change first, with the
    count of each tab. Which side declined is not shown: "did not happen", as the members read."""
    show = show if show in STAFF_TABS else "all"
    first, second, asker = aliased(User), aliased(User), aliased(User)
    first_ms, second_ms = aliased(Membership), aliased(Membership)
    visible = [true()]
    if not staff.is_admin:
        visible = [or_(Introduction.curator_id == staff.id, first_ms.curator_id == staff.id,
                       second_ms.curator_id == staff.id)]

    def scoped(statement):
        return (statement.select_from(Introduction)
                .outerjoin(first_ms, first_ms.user_id == Introduction.member_a_id)
                .outerjoin(second_ms, second_ms.user_id == Introduction.member_b_id)
                .where(*visible))

    by_state = dict(db.session.execute(scoped(select(Introduction.state, func.count(Introduction.id)))
                                       .group_by(Introduction.state)).all())
    counts = {tab: sum(n for state, n in by_state.items() if states is None or state in states)
              for tab, states in STAFF_TABS.items()}
    statement = (scoped(select(Introduction.id, Introduction.state, Introduction.kind, first.full_name,
                               second.full_name, asker.full_name, Introduction.created_at, Introduction.updated_at))
                 .join(first, first.id == Introduction.member_a_id).join(second, second.id == Introduction.member_b_id)
                 .outerjoin(asker, asker.id == Introduction.asked_by_id)
                 .order_by(Introduction.updated_at.desc(), Introduction.id.desc()))
    if STAFF_TABS[show] is not None:
        statement = statement.where(Introduction.state.in_(STAFF_TABS[show]))
    cut = paginate(statement, page=page, per_page=PER_PAGE, scalars=False, total=counts[show])
    rows = [StaffIntroduction(*row) for row in cut.items]
    return StaffList(page=Page(items=rows, page=cut.page, per_page=cut.per_page, total=cut.total), show=show,
                     counts=counts)
