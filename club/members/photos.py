"""Profile photos: checked, re-encoded, and stored in the database (``MemberPhoto``), so that every
app host serves them without a shared disk and no web request writes a file.

Nothing a member uploads is served as it came: the image is decoded, turned upright, shrunk,
and written again as a plain JPEG. That drops EXIF (GPS positions, camera serials), any
embedded profile or comment, and anything that was not really an image.
"""
from __future__ import annotations

import io
import secrets

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import delete as sa_delete
from sqlalchemy import select

from club.extensions import db
from club.models.members import MemberPhoto

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 800
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Decoding a small file into a huge bitmap is a classic way to exhaust memory; refuse early.
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85


class PhotoRejected(ValueError):
    """The file is not a photo we accept; the message is safe to show."""


def reencode(stream) -> bytes:
    """Read an uploaded image (at most MAX_BYTES) and return a clean JPEG of at most MAX_SIDE."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoRejected(_("Please choose a photo under %(size)d MB.", size=MAX_BYTES // (1024 * 1024)))
    if not data:
        raise PhotoRejected(_("That file is empty."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoRejected(_("Please choose a JPEG, PNG or WebP photo."))
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRejected(_("That photo is too large in pixels; please choose a smaller one."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            upright = ImageOps.exif_transpose(source)
            clean = _flatten(upright)
            clean.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            # No exif=, no icc_profile=: the new file carries pixels only.
            clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            return out.getvalue()
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoRejected(_("That file could not be read as a photo.")) from exc


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: lay transparent images on the page colour."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 253, 248))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def save(jpeg: bytes, user_id: int) -> str:
    """Store the photo in the database under a random key (never the member's file name) and return
    the key. Part of the caller's transaction: no file is written, so every app host sees it."""
    key = f"{secrets.token_hex(16)}.jpg"
    db.session.add(MemberPhoto(key=key, user_id=user_id, jpeg=jpeg))
    return key


def load(key: str | None) -> bytes | None:
    """The JPEG stored under ``key``, or None."""
    if not key:
        return None
    return db.session.scalar(select(MemberPhoto.jpeg).where(MemberPhoto.key == key))


def delete(key: str | None) -> None:
    """Drop the photo stored under ``key`` (in the caller's transaction)."""
    if key:
        db.session.execute(sa_delete(MemberPhoto).where(MemberPhoto.key == key))


def delete_all_of(user_id: int) -> None:
    db.session.execute(sa_delete(MemberPhoto).where(MemberPhoto.user_id == user_id))
