"""Staff see members' photos (the privacy page promises it: "Staff see your photo so they can greet
you at events"): on the curator's members list, the member file (with the bio and links) and the
door list; a member host does not."""
import io

from club.extensions import db
from club.members import photos
from club.models.membership import MemberProfile
from tests.events.factories import make_event, seat
from tests.factories import login, make_admin, make_curator, make_member
from tests.members.factories import image_bytes


def _with_photo(user, **profile):
    row = db.session.get(MemberProfile, user.id)
    row.photo_filename = photos.save(photos.reencode(io.BytesIO(image_bytes("PNG", size=(120, 120)))), user.id)
    for key, value in profile.items():
        setattr(row, key, value)
    db.session.commit()
    return user


def test_the_curators_members_list_shows_each_photo_or_initials(client, ctx):
    curator = make_curator()
    pictured = _with_photo(make_member(curator=curator, name="Ada Lovelace"))
    plain = make_member(curator=curator, name="Charles Babbage")
    login(client, curator)
    page = client.get("/curation/members").get_data(as_text=True)
    assert f'src="/members/{pictured.id}/photo"' in page
    assert f'src="/members/{plain.id}/photo"' not in page and ">CB</span>" in page
    # The photo opens for the curator, although the member never listed it in the directory.
    assert client.get(f"/members/{pictured.id}/photo").status_code == 200


def test_the_member_file_shows_the_photo_bio_and_links(client, ctx):
    curator = make_curator()
    member = _with_photo(make_member(curator=curator), bio="Restores clocks.\n\nLikes long walks.",
                         links=["https://clocks.example/ada", "javascript:alert(1)"])
    login(client, curator)
    page = client.get(f"/curation/members/{member.id}").get_data(as_text=True)
    assert f'src="/members/{member.id}/photo"' in page
    assert "<p>Restores clocks.</p>" in page and "Likes long walks." in page
    assert 'href="https://clocks.example/ada"' in page and 'href="javascript:' not in page


def test_staff_see_photos_on_the_door_list_and_a_member_host_does_not(client, ctx):
    guest_of_honour = _with_photo(make_member(name="Ada Lovelace"))
    host = make_member(name="Hostess")
    event = make_event(host=host)
    seat(event, guest_of_honour)
    login(client, make_admin())
    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert f'src="/members/{guest_of_honour.id}/photo"' in page
    client.post("/logout")
    login(client, host)
    page = client.get(f"/events/{event.id}/attendees")
    assert page.status_code == 200 and "/photo" not in page.get_data(as_text=True)
