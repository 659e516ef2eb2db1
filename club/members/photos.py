"""Profile photos: checked, re-encoded and stored outside the web root.

Nothing a member uploads is served as it came: the image is decoded, turned upright, shrunk,
and written again as a plain JPEG. That drops EXIF (GPS positions, camera serials), any
embedded profile or comment, and anything that was not really an image.
"""
from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

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
        raise PhotoRejected(f"Please choose a photo under {MAX_BYTES // (1024 * 1024)} MB.")
    if not data:
        raise PhotoRejected("That file is empty.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoRejected("Please choose a JPEG, PNG or WebP photo.")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRejected("That photo is too large in pixels; please choose a smaller one.")
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
        raise PhotoRejected("That file could not be read as a photo.") from exc


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: lay transparent images on the page colour."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 253, 248))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def photo_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save(jpeg: bytes) -> str:
    """Write under a random name (never the member's file name) and return that name."""
    name = f"{secrets.token_hex(16)}.jpg"
    (photo_dir() / name).write_bytes(jpeg)
    return name


def path_of(name: str) -> Path | None:
    # Names are ours (hex + .jpg); anything else never reaches the file system.
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = photo_dir() / name
    return path if path.is_file() else None


def delete(name: str | None) -> None:
    if not name:
        return
    path = path_of(name)
    if path is not None:
        path.unlink(missing_ok=True)
