"""Member-side factories: profiles with chosen directory settings, photos, requests."""
from __future__ import annotations

import io

from PIL import Image

from club.extensions import db
from club.members import requests_service
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.membership import MemberProfile
from tests.factories import make_member


def make_listed_member(fields=(), listed=True, **kwargs):
    """A member with every profile field filled, listed (or not) with ``fields`` shown."""
    user = make_member(**kwargs)
    profile = db.session.get(MemberProfile, user.id)
    n = user.id
    profile.city = kwargs.get("city") or f"City{n}ville"
    profile.occupation = f"Occupation-{n}"
    profile.company = f"Company-{n}"
    profile.bio = f"Bio text of member {n}."
    profile.interests = list(kwargs.get("interests") or [f"interest{n}"])
    profile.languages = ["English"]
    profile.links = [f"https://example.org/member-{n}"]
    profile.photo_filename = None
    profile.directory_listed = listed
    profile.directory_fields = list(fields)
    profile.directory_chosen_at = utcnow()
    db.session.commit()
    return user


def make_tags(*names):
    for name in names:
        db.session.add(InterestTag(name=name))
    db.session.commit()


def image_bytes(fmt: str = "JPEG", size=(1600, 1200), exif: bool = False, mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCamera Inc."  # Make
        data[0x0131] = "SecretSoftware 1.0"  # Software
        data[0x0112] = 1  # Orientation
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def make_request(member, topic="help", body="Could you help me find a tailor?"):
    return requests_service.open_request(member, topic, body)
