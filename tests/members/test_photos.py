"""Profile photos: limits, re-encoding, and who may fetch them."""
import io
from pathlib import Path

import pytest
from PIL import Image

from club.extensions import db
from club.members import photos
from club.models.members import MemberPhoto
from club.models.membership import MemberProfile
from tests.factories import login, make_curator, make_member, make_user
from tests.members.factories import image_bytes, make_listed_member


def _upload(client, data: bytes, name="me.jpg"):
    return client.post("/me/photo", data={"photo": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_reencoded_to_a_small_jpeg_without_metadata(fmt):
    kwargs = {"exif": True} if fmt in ("JPEG", "WEBP") else {}
    source = image_bytes(fmt, size=(2000, 1000), **kwargs)
    assert (b"SecretCamera" in source) is bool(kwargs)  # the metadata really was there
    out = photos.reencode(io.BytesIO(source))
    image = Image.open(io.BytesIO(out))
    assert image.format == "JPEG" and max(image.size) == photos.MAX_SIDE and image.size == (800, 400)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert b"SecretCamera" not in out


def test_transparent_png_is_flattened():
    out = photos.reencode(io.BytesIO(image_bytes("PNG", size=(50, 50), mode="RGBA")))
    assert Image.open(io.BytesIO(out)).mode == "RGB"


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"<?php echo 'hi'; ?>", "could not be read"),
    (b"GIF89a" + b"\x00" * 100, "could not be read"),
])
def test_not_a_photo_is_refused(data, message):
    with pytest.raises(photos.PhotoRejected, match=message):
        photos.reencode(io.BytesIO(data))


def test_other_image_formats_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="GIF")
    with pytest.raises(photos.PhotoRejected, match="JPEG, PNG or WebP"):
        photos.reencode(io.BytesIO(out.getvalue()))


def test_files_over_five_megabytes_are_refused():
    with pytest.raises(photos.PhotoRejected, match="under 5 MB"):
        photos.reencode(io.BytesIO(b"\xff\xd8" + b"0" * photos.MAX_BYTES))


def test_huge_pixel_counts_are_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (10000, 5000)).save(out, format="PNG")  # 50 megapixels, a few kilobytes
    with pytest.raises(photos.PhotoRejected, match="too large in pixels"):
        photos.reencode(io.BytesIO(out.getvalue()))


def test_upload_stores_a_random_name_in_the_database_and_replaces_the_old_photo(app, client, ctx):
    member = make_member()
    login(client, member)
    assert _upload(client, image_bytes("PNG")).status_code == 302
    first = db.session.get(MemberProfile, member.id).photo_filename
    stored = db.session.get(MemberPhoto, first)
    assert stored is not None and stored.user_id == member.id and first.endswith(".jpg") and "me" not in first
    assert stored.jpeg.startswith(b"\xff\xd8")  # the re-encoded JPEG, in the database, not in static/
    assert _upload(client, image_bytes("JPEG")).status_code == 302
    db.session.expire_all()
    second = db.session.get(MemberProfile, member.id).photo_filename
    assert second != first and db.session.get(MemberPhoto, first) is None
    assert db.session.scalars(db.select(MemberPhoto.key)).all() == [second]


def test_a_refused_upload_shows_the_error_next_to_the_field(client, ctx):
    login(client, make_member())
    r = _upload(client, b"not an image", name="me.png")
    assert r.status_code == 400 and "could not be read as a photo" in r.get_data(as_text=True)


def test_a_request_over_the_upload_limit_gets_the_413_page(app, client, ctx):
    login(client, make_member())
    r = _upload(client, b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert r.status_code == 413 and "too large" in r.get_data(as_text=True)


@pytest.mark.parametrize("shown,viewer,expected", [
    (["photo"], "member", 200), ([], "member", 404), (["city"], "member", 404),
    ([], "curator", 200), ([], "self", 200), (["photo"], "applicant", 403),
])
def test_photos_are_served_only_to_people_allowed_to_see_them(client, ctx, shown, viewer, expected):
    owner = make_listed_member(fields=shown)
    login(client, owner)
    assert _upload(client, image_bytes("JPEG")).status_code == 302
    client.post("/logout")
    who = {"member": make_member, "curator": make_curator, "applicant": make_user,
           "self": lambda: owner}[viewer]()
    login(client, who)
    r = client.get(f"/members/{owner.id}/photo")
    assert r.status_code == expected
    if expected == 200:
        assert r.mimetype == "image/jpeg" and "no-store" in r.headers["Cache-Control"]


def test_a_hidden_members_photo_is_not_served(client, ctx):
    owner = make_listed_member(fields=["photo"], listed=False)
    login(client, owner)
    _upload(client, image_bytes("JPEG"))
    client.post("/logout")
    login(client, make_member())
    assert client.get(f"/members/{owner.id}/photo").status_code == 404


def test_removing_the_photo_deletes_it(app, client, ctx):
    member = make_member()
    login(client, member)
    _upload(client, image_bytes("JPEG"))
    name = db.session.get(MemberProfile, member.id).photo_filename
    assert db.session.get(MemberPhoto, name) is not None
    assert client.post("/me/photo/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(MemberPhoto, name) is None


def test_photo_uploads_are_limited_per_person(client, ctx):
    """Each upload is re-encoded (~0.7 s of CPU): beyond five a minute the member gets the 429 page."""
    member, other = make_member(), make_member()
    login(client, member)
    small = image_bytes("JPEG", size=(40, 40))
    assert [_upload(client, small).status_code for _ in range(5)] == [302] * 5
    refused = _upload(client, small)
    assert refused.status_code == 429 and "Too many attempts" in refused.get_data(as_text=True)
    client.post("/logout")
    login(client, other)  # the limit is the person's, not the address's
    assert _upload(client, small).status_code == 302


def _files_under(*folders) -> set[Path]:
    return {path for folder in folders if Path(folder).is_dir() for path in Path(folder).rglob("*") if path.is_file()}


def test_no_web_request_writes_a_file_to_the_hosts_disk(app, client, ctx):
    """Photos go to the database and mail to the outbox table: a second host sees both, and the
    request leaves the host's disk as it found it (the .eml files come from the worker later)."""
    folders = (app.instance_path, app.config["UPLOAD_DIR"], app.config["MAIL_OUTBOX_DIR"])
    member = make_listed_member(fields=["photo"])
    before = _files_under(*folders)
    login(client, member)
    assert _upload(client, image_bytes("PNG")).status_code == 302
    client.post("/logout")
    assert client.post("/password/forgot", data={"email": member.email}).status_code == 200
    assert _files_under(*folders) == before
    viewer = make_member()
    login(client, viewer)
    served = client.get(f"/members/{member.id}/photo")
    assert served.status_code == 200 and served.data == db.session.get(MemberPhoto, db.session.get(
        MemberProfile, member.id).photo_filename).jpeg
