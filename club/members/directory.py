"""The members-only directory: who is listed, and what each viewer may see and search."""
from __future__ import annotations

from dataclasses import dataclass

from club.core.pagination import paginate_list
from club.extensions import db
from club.members import privacy
from club.membership import states
from club.models.membership import MemberProfile, Membership
from club.models.user import User

PAGE_SIZE = 48


@dataclass(frozen=True)
class DirectoryPage:
    cards: list[privacy.DirectoryCard]
    total: int
    page: int
    pages: int


def search(viewer: User, *, text: str = "", interest: str = "", city: str = "", page: int = 1) -> DirectoryPage:
    """Listed members with access, as other members see them, filtered on visible fields only.

    One query loads every listed member; filtering happens on the cards, so searching for a
    city or interest a member keeps hidden can never find them. A club's directory is a few
    hundred to a few thousand people, which this handles in milliseconds.
    """
    rows = db.session.execute(
        db.select(User.id, User.full_name, Membership.joined_at, MemberProfile)
        .join(Membership, Membership.user_id == User.id)
        .join(MemberProfile, MemberProfile.user_id == User.id)
        .where(MemberProfile.directory_listed.is_(True), User.deleted_at.is_(None),
               Membership.state.in_(sorted(states.ACCESS_STATES)))
        .order_by(User.full_name, User.id)
    ).all()
    cards = []
    for user_id, name, joined_at, profile in rows:
        # Everyone, the viewer included, sees the directory as members see it.
        card = privacy.card_for(user_id=user_id, name=name, joined_at=joined_at, profile=profile,
                                relation=privacy.MEMBER)
        if card is not None and privacy.matches(card, text=text.strip(), interest=interest.strip(),
                                                city=city.strip()):
            cards.append(card)
    # The privacy rule (search only what a member shows) is applied to the cards, so the page is cut
    # after it; moving the visible fields into columns lets SQL do both (the speed issue).
    cut = paginate_list(cards, page=page, per_page=PAGE_SIZE)
    return DirectoryPage(cards=cut.items, total=cut.total, page=cut.page, pages=cut.pages)
