"""Members a person may like to meet, shown on their home page with the reason.

Only members listed in the directory with access are suggested, and only what they show is used:
a shared interest counts through ``search_interests`` and a city through ``search_city``, the
directory's columns that are NULL for whatever a member keeps hidden (``club.members.directory_index``),
so a hidden city can never make "you both live in London". Evenings count when both were checked
in at the door. Members the person already has an introduction with (under way, made or declined)
are not suggested again.

One statement ranks the whole club, one more finds the title of a single shared evening: the cost
does not grow with the club.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _, ngettext
from sqlalchemy import and_, case, func, literal, or_, select

from club.events.together import evenings_shared_with, last_evening_together
from club.extensions import db
from club.members import directory_index, privacy
from club.membership import states
from club.models.members import Introduction
from club.models.membership import MemberProfile, Membership
from club.models.user import User

LIMIT = 3
SHOWN_INTERESTS = 3
# How much each kind of common ground weighs in the ranking.
INTEREST_WEIGHT, CITY_WEIGHT, EVENINGS_CAP = 3, 2, 3


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    name: str
    reasons: tuple[str, ...]
    card: privacy.DirectoryCard


def joined(names: list[str]) -> str:
    """"sailing", "sailing and wine", "sailing, wine and art", in the reader's language."""
    if len(names) == 1:
        return names[0]
    return _("%(list)s and %(last)s", list=", ".join(names[:-1]), last=names[-1])


def reasons_for(interests: list[str], city: str | None, evenings: int, evening_title: str | None) -> list[str]:
    """Why two members might meet, a line each; what the other member shows, as the club wrote it."""
    reasons = []
    if len(interests) == 1:
        reasons.append(_("You both like %(interest)s", interest=interests[0]))
    elif interests:
        reasons.append(_("You both like %(interests)s", interests=joined(interests[:SHOWN_INTERESTS])))
    if city:
        reasons.append(_("You both live in %(city)s", city=city))
    if evenings == 1 and evening_title:
        reasons.append(_("You were both at “%(title)s”", title=evening_title))
    elif evenings >= 1:
        reasons.append(ngettext("You were at %(num)d evening together", "You were at %(num)d evenings together",
                                evenings))
    return reasons


def people_to_meet(viewer: User, limit: int = LIMIT) -> list[Suggestion]:
    """Up to ``limit`` members for ``viewer`` to meet, the most in common first."""
    own = db.session.get(MemberProfile, viewer.id)
    own_interests = [str(i).casefold() for i in (own.interests if own else None) or ()
                     if directory_index.interest_pattern(str(i)) is not None]
    own_city = (own.city or "").casefold() if own else ""

    shared = [case((MemberProfile.search_interests.contains(directory_index.interest_pattern(i), autoescape=True), 1),
                   else_=0) for i in dict.fromkeys(own_interests)]
    interest_score = sum(shared[1:], shared[0]) if shared else literal(0)
    city_score = case((MemberProfile.search_city == own_city, 1), else_=0) if own_city else literal(0)
    together = evenings_shared_with(viewer.id)
    evenings = func.coalesce(together.c.evenings, 0)
    score = (interest_score * INTEREST_WEIGHT + city_score * CITY_WEIGHT
             + case((evenings > EVENINGS_CAP, EVENINGS_CAP), else_=evenings))
    already = select(Introduction.id).where(
        Introduction.state != "withdrawn",
        or_(and_(Introduction.member_a_id == viewer.id, Introduction.member_b_id == User.id),
            and_(Introduction.member_b_id == viewer.id, Introduction.member_a_id == User.id))).exists()
    rows = db.session.execute(
        select(User.id, User.full_name, Membership.joined_at, MemberProfile, evenings)
        .join(Membership, Membership.user_id == User.id)
        .join(MemberProfile, MemberProfile.user_id == User.id)
        .outerjoin(together, together.c.user_id == User.id)
        .where(User.id != viewer.id, User.deleted_at.is_(None), MemberProfile.directory_listed.is_(True),
               Membership.state.in_(sorted(states.ACCESS_STATES)), score > 0, ~already)
        .order_by(score.desc(), User.full_name, User.id).limit(limit)).all()

    titles = last_evening_together(viewer.id, [r[0] for r in rows if r[4] == 1])
    found = []
    for user_id, name, joined_at, profile, shared_evenings in rows:
        card = privacy.card_for(user_id=user_id, name=name, joined_at=joined_at, profile=profile,
                                relation=privacy.MEMBER)
        if card is None:  # not listed after all (never: the statement asks for listed members)
            continue
        interests = [i for i in card.interests if i.casefold() in own_interests]
        city = card.city if card.city and own_city and card.city.casefold() == own_city else None
        found.append(Suggestion(user_id=user_id, name=name, card=card,
                                reasons=tuple(reasons_for(interests, city, int(shared_evenings or 0),
                                                          titles.get(user_id)))))
    return found
