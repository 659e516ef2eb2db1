"""A member's profile, photo and directory choices."""
from __future__ import annotations

from dataclasses import dataclass

from club.core import audit
from club.extensions import db
from club.members import photos, privacy
from club.membership.access import membership_of
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.membership import MemberProfile
from club.models.user import User

MAX_LINKS = 5


@dataclass
class ProfileChanges:
    full_name: str
    city: str
    occupation: str
    company: str
    bio: str
    interests: list[str]
    languages: list[str]
    links: list[str]


def profile_of(user: User) -> MemberProfile:
    """The member's profile, created empty (and private) on first use. No commit."""
    profile = db.session.get(MemberProfile, user.id)
    if profile is None:
        profile = MemberProfile(user_id=user.id, interests=[], languages=[], links=[], directory_fields=[])
        db.session.add(profile)
        db.session.flush()
    return profile


def interest_names() -> list[str]:
    return list(db.session.scalars(db.select(InterestTag.name).order_by(InterestTag.name)))


def update_profile(user: User, changes: ProfileChanges) -> MemberProfile:
    profile = profile_of(user)
    user.full_name = changes.full_name.strip()
    profile.city = changes.city.strip() or None
    profile.occupation = changes.occupation.strip() or None
    profile.company = changes.company.strip() or None
    profile.bio = changes.bio.strip() or None
    known = set(interest_names())
    profile.interests = [i for i in changes.interests if i in known]
    profile.languages = _unique(changes.languages)
    profile.links = _unique(changes.links)[:MAX_LINKS]
    db.session.commit()
    return profile


def update_visibility(user: User, *, listed: bool, fields) -> MemberProfile:
    profile = profile_of(user)
    profile.directory_listed = bool(listed)
    profile.directory_fields = privacy.clean_choice(fields)
    profile.directory_chosen_at = utcnow()
    audit.record("member.directory_changed", actor=user, subject=user, listed=profile.directory_listed,
                 fields=profile.directory_fields)
    db.session.commit()
    return profile


def set_photo(user: User, stream) -> MemberProfile:
    """Replace the member's photo with a re-encoded copy of the upload. Raises PhotoRejected."""
    jpeg = photos.reencode(stream)
    profile = profile_of(user)
    photos.delete(profile.photo_filename)
    profile.photo_filename = photos.save(jpeg, user.id)
    db.session.commit()
    return profile


def remove_photo(user: User) -> None:
    profile = profile_of(user)
    photos.delete(profile.photo_filename)
    profile.photo_filename = None
    db.session.commit()


def photo_for_viewer(viewer: User, member_id: int) -> bytes | None:
    """The JPEG of ``member_id``'s photo if ``viewer`` may see it; None otherwise (shown as 404).

    Hidden, not-yet-chosen and no-longer-members' photos answer exactly like missing ones, so
    the route does not tell who has a photo.
    """
    profile = db.session.get(MemberProfile, member_id)
    if profile is None or not profile.photo_filename:
        return None
    relation = privacy.relation_of(viewer.id, viewer.is_staff, member_id)
    if not privacy.can_see_photo(profile.directory_listed, profile.directory_fields, relation):
        return None
    if relation == privacy.MEMBER:
        from club.membership.access import has_member_access

        member = db.session.get(User, member_id)
        if member is None or member.deleted_at is not None or not has_member_access(member):
            return None
    return photos.load(profile.photo_filename)


def own_card(user: User) -> privacy.DirectoryCard | None:
    """How the member appears to other members (for the preview on the privacy page)."""
    profile = profile_of(user)
    membership = membership_of(user)
    return privacy.card_for(user_id=user.id, name=user.full_name, joined_at=membership.joined_at if membership else None,
                            profile=profile, relation=privacy.MEMBER)


def _unique(items) -> list[str]:
    seen: list[str] = []
    for item in items:
        item = item.strip()
        if item and item.casefold() not in (s.casefold() for s in seen):
            seen.append(item)
    return seen
