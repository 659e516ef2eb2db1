"""The directory's search columns on ``member_profiles``, kept in step with what members show.

The directory filters and paginates in SQL, so what it searches must be columns, not JSON: a
member's casefolded name, and their city and interests only when they show them to members
(``club.members.privacy``). Anything hidden is NULL, so no query can find a member through it.
A listener recomputes the columns on every flush that touches a profile or a person's name,
whoever writes them (the member, their curator, an erasure).
"""
from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from club.members import privacy
from club.models.membership import MemberProfile
from club.models.user import User

SEPARATOR = "\x1f"  # between interests in ``search_interests``; never part of a search


def search_values(*, name: str | None, listed: bool, chosen, city: str | None, interests) -> dict[str, str | None]:
    """The three search columns for one member, as other members may search them."""
    shown = privacy.visible_fields(bool(listed), chosen or (), privacy.MEMBER)
    folded = [str(i).casefold() for i in (interests or ())]
    return {
        "search_name": (name or "").casefold() if listed else None,
        "search_city": city.casefold() if "city" in shown and city else None,
        "search_interests": (SEPARATOR + SEPARATOR.join(folded) + SEPARATOR)
        if "interests" in shown and folded else None,
    }


def interest_pattern(interest: str) -> str | None:
    """What ``search_interests`` must contain to hold this interest; None when nothing can match."""
    if SEPARATOR in interest:
        return None
    return SEPARATOR + interest.casefold() + SEPARATOR


def _refresh(session: Session, profile: MemberProfile, name: str | None = None) -> None:
    if name is None:
        user = profile.__dict__.get("user") or (session.get(User, profile.user_id) if profile.user_id else None)
        name = user.full_name if user is not None else ""
    values = search_values(name=name, listed=profile.directory_listed, chosen=profile.directory_fields,
                           city=profile.city, interests=profile.interests)
    for key, value in values.items():
        if getattr(profile, key) != value:
            setattr(profile, key, value)


def _keep_in_step(session: Session, _flush_context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, MemberProfile):
            _refresh(session, obj)
        elif isinstance(obj, User) and obj.id is not None and inspect(obj).attrs.full_name.history.has_changes():
            profile = session.get(MemberProfile, obj.id)
            if profile is not None:
                _refresh(session, profile, name=obj.full_name)


def connect() -> None:
    """Listen on every session (idempotent: apps are created many times in tests)."""
    if not event.contains(Session, "before_flush", _keep_in_step):
        event.listen(Session, "before_flush", _keep_in_step)
