"""The members-only directory: who is listed, and what each viewer may see and search."""
from __future__ import annotations

from dataclasses import dataclass

from club.core.inputs import search_words
from club.core.pagination import paginate
from club.extensions import db
from club.members import directory_index, privacy
from club.membership import states
from club.membership.ambassadors import current_ambassadors
from club.models.membership import MemberProfile, Membership
from club.models.user import User

PAGE_SIZE = 48


@dataclass(frozen=True)
class DirectoryPage:
    cards: list[privacy.DirectoryCard]
    total: int
    page: int
    pages: int
    ambassadors: frozenset[int] = frozenset()  # the cards' members the club named ambassadors


def search(viewer: User, *, text: str = "", interest: str = "", city: str = "", page: int = 1) -> DirectoryPage:
    """Listed members with access, as other members see them, filtered on visible fields only.

    Filtered, counted and cut in SQL on the search columns (``club.members.directory_index``),
    which hold only what each member shows: searching for a city or interest a member keeps
    hidden can never find them. Three queries (the page, its count, its ambassadors), whatever
    the size of the club.
    """
    text, interest, city = search_words(text), search_words(interest), search_words(city)
    statement = (
        db.select(User.id, User.full_name, Membership.joined_at, MemberProfile)
        .join(Membership, Membership.user_id == User.id)
        .join(MemberProfile, MemberProfile.user_id == User.id)
        .where(MemberProfile.directory_listed.is_(True), User.deleted_at.is_(None),
               Membership.state.in_(sorted(states.ACCESS_STATES)))
        .order_by(User.full_name, User.id)
    )
    if text:
        statement = statement.where(MemberProfile.search_name.contains(text.casefold(), autoescape=True))
    if city:
        statement = statement.where(MemberProfile.search_city.contains(city.casefold(), autoescape=True))
    if interest:
        pattern = directory_index.interest_pattern(interest)
        if pattern is None:
            return DirectoryPage(cards=[], total=0, page=1, pages=1)
        statement = statement.where(MemberProfile.search_interests.contains(pattern, autoescape=True))
    cut = paginate(statement, page=page, per_page=PAGE_SIZE, scalars=False)
    cards = []
    for user_id, name, joined_at, profile in cut.items:
        # Everyone, the viewer included, sees the directory as members see it.
        card = privacy.card_for(user_id=user_id, name=name, joined_at=joined_at, profile=profile,
                                relation=privacy.MEMBER)
        if card is not None:
            cards.append(card)
    ambassadors = frozenset(current_ambassadors([c.user_id for c in cards]))
    return DirectoryPage(cards=cards, total=cut.total, page=cut.page, pages=cut.pages, ambassadors=ambassadors)
