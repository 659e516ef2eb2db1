"""Who sees what of a member in the directory. Pure rules: no database, no request.

A member chooses which fields other members see, or to be hidden entirely; name and join year
show for every listed member. Nothing is shown by default. Staff see the directory as members
do (their own tools show them more); only photos are open to staff, so curators can recognise
the people they look after.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

SELF = "self"
STAFF = "staff"
MEMBER = "member"

# The fields a member may choose to show, in the order pages show them.
FIELDS = {
    "photo": _l("Photo"),
    "work": _l("Occupation and company"),
    "city": _l("City"),
    "interests": _l("Interests"),
    "bio": _l("Short bio"),
    "links": _l("Links"),
}


def relation_of(viewer_id: int, viewer_is_staff: bool, member_id: int) -> str:
    if viewer_id == member_id:
        return SELF
    return STAFF if viewer_is_staff else MEMBER


def clean_choice(fields) -> list[str]:
    """Keep only known fields, in the canonical order, once each."""
    chosen = set(fields or ())
    return [name for name in FIELDS if name in chosen]


def visible_fields(listed: bool, chosen, relation: str) -> frozenset[str]:
    if relation == SELF:
        return frozenset(FIELDS)
    if not listed:
        return frozenset()
    return frozenset(clean_choice(chosen))


def is_listed_for(listed: bool, relation: str) -> bool:
    return relation == SELF or bool(listed)


def can_see_photo(listed: bool, chosen, relation: str) -> bool:
    return relation in (SELF, STAFF) or "photo" in visible_fields(listed, chosen, relation)


@dataclass(frozen=True)
class DirectoryCard:
    """What one viewer may see of one member. Hidden fields are None (or empty), never filled."""

    user_id: int
    name: str
    joined_year: int | None
    has_photo: bool = False
    occupation: str | None = None
    company: str | None = None
    city: str | None = None
    interests: tuple[str, ...] = ()
    bio: str | None = None
    links: tuple[str, ...] = ()
    shown: frozenset[str] = field(default_factory=frozenset)


def card_for(*, user_id: int, name: str, joined_at: datetime | None, profile, relation: str) -> DirectoryCard | None:
    """The card ``relation`` may see of this member, or None when the member is hidden from them.

    ``profile`` is anything with the MemberProfile attributes (or None: nothing to show).
    """
    listed = bool(profile and profile.directory_listed)
    if not is_listed_for(listed, relation):
        return None
    shown = visible_fields(listed, profile.directory_fields if profile else (), relation) if profile else frozenset()
    return DirectoryCard(
        user_id=user_id,
        name=name,
        joined_year=joined_at.year if joined_at else None,
        has_photo="photo" in shown and bool(profile.photo_filename),
        occupation=profile.occupation if "work" in shown else None,
        company=profile.company if "work" in shown else None,
        city=profile.city if "city" in shown else None,
        interests=tuple(profile.interests or ()) if "interests" in shown else (),
        bio=profile.bio if "bio" in shown else None,
        links=tuple(profile.links or ()) if "links" in shown else (),
        shown=shown,
    )


def matches(card: DirectoryCard, *, text: str = "", interest: str = "", city: str = "") -> bool:
    """Search only over what the viewer can see, so a search never reveals a hidden field."""
    if text and text.casefold() not in card.name.casefold():
        return False
    if interest and interest.casefold() not in (i.casefold() for i in card.interests):
        return False
    if city and (card.city is None or city.casefold() not in card.city.casefold()):
        return False
    return True
