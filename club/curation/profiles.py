"""The curator's own profile (bio, contact, city, interests, languages, capacity), and what a
member sees of their curator."""
from __future__ import annotations

from flask_babel import gettext as _

from dataclasses import dataclass

from club.applications.interests import interest_names
from club.core import audit, settings
from club.curation.errors import CurationError, NotAllowed
from club.extensions import db
from club.models.curation import CuratorProfile
from club.models.user import User


def curator_profile(curator: User) -> CuratorProfile:
    """The curator's profile, unsaved defaults if they never filled it in."""
    if not curator.is_curator:
        raise NotAllowed(_("Only curators have a curator profile."))
    profile = db.session.get(CuratorProfile, curator.id)
    if profile is None:
        profile = CuratorProfile(user_id=curator.id, interests=[], languages=[],
                                 capacity=int(settings.get("curator_capacity")))
    return profile


def update_curator_profile(curator: User, *, bio: str | None, contact: str | None, city: str | None,
                           interests: list[str], languages: list[str], capacity: int) -> CuratorProfile:
    if not curator.is_curator:
        raise NotAllowed(_("Only curators have a curator profile."))
    known = set(interest_names())
    unknown = [i for i in interests if i not in known]
    if unknown:
        raise CurationError(_("Choose interests from the club's list."), field="interests")
    if capacity < 1:
        raise CurationError(_("Capacity is at least one member."), field="capacity")
    profile = db.session.get(CuratorProfile, curator.id)
    if profile is None:
        profile = CuratorProfile(user_id=curator.id)
        db.session.add(profile)
    profile.bio = (bio or "").strip() or None
    profile.contact = (contact or "").strip() or None
    profile.city = (city or "").strip() or None
    profile.interests = sorted(set(interests))
    profile.languages = _unique_languages(languages)
    profile.capacity = capacity
    audit.record("curator.profile_updated", actor=curator, subject=curator, capacity=capacity)
    db.session.commit()
    return profile


def _unique_languages(languages: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for language in languages:
        cleaned = language.strip()
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned[:1].upper() + cleaned[1:]
    return list(seen.values())


@dataclass(frozen=True)
class CuratorCard:
    """What a member is shown of their curator besides the name."""

    bio: str | None
    contact: str | None


def curator_card(curator_id: int) -> CuratorCard | None:
    """The curator's bio and contact for their members; None if the curator has no profile."""
    profile = db.session.get(CuratorProfile, curator_id)
    return CuratorCard(profile.bio, profile.contact) if profile is not None else None
