"""The personal calendar feed: what it lists, regenerating and revoking its URL, read back with the
icalendar library."""
import re

from club.events import booking, feeds, manage
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.membership.changes import change_membership_state
from tests.events.factories import make_event, seat
from tests.events.test_calendar import _parse
from tests.factories import login, make_curator, make_member


def _feed_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_personal_feed_lists_booked_events_only(client, ctx):
    member, other = make_member(), make_member()
    booked = make_event("Booked supper")
    waiting = make_event("Full supper", capacity=1)
    seat(waiting, other)
    make_event("Not booked")
    booking.book(member, booked.id, 0)
    booking.book(member, waiting.id, 0)
    login(client, member)
    body = client.get("/events").get_data(as_text=True)
    url = re.search(r'value="(http://club\.test/calendar/[^"]+\.ics)"', body).group(1)
    client.post("/logout")
    r = client.get(_feed_path(url))  # a calendar app: no cookie
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    _, vevents = _parse(r.data)
    assert [str(v["SUMMARY"]) for v in vevents] == ["Booked supper"]


def test_a_called_off_event_stays_in_the_feed_marked_cancelled(client, ctx):
    member, curator = make_member(), make_curator()
    event = make_event()
    booking.book(member, event.id, 0)
    url = feeds.feed_url_for(member)
    manage.call_off_event(curator, event.id)
    _, (vevent,) = _parse(client.get(_feed_path(url)).data)
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) >= 1


def test_regenerating_revokes_the_old_feed_url(client, ctx):
    member = make_member()
    old = feeds.feed_url_for(member)
    assert client.get(_feed_path(old)).status_code == 200
    login(client, member)
    client.post("/events/calendar/regenerate")
    db.session.expire_all()
    new = feeds.feed_url_for(member)
    assert new != old
    assert client.get(_feed_path(old)).status_code == 404
    assert client.get(_feed_path(new)).status_code == 200


def test_tampered_or_foreign_tokens_answer_404(client, ctx):
    member = make_member()
    url = _feed_path(feeds.feed_url_for(member))
    token = url.rsplit("/", 1)[1][:-4]
    # Change a character inside the signature (the last base64 character carries spare bits, so
    # changing only the end can leave the signature valid).
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    assert client.get(f"/calendar/{tampered}.ics").status_code == 404
    assert client.get("/calendar/sample-token.ics").status_code == 404


def test_the_feed_closes_when_access_ends(client, ctx):
    member = make_member()
    url = _feed_path(feeds.feed_url_for(member))
    change_membership_state(membership_of(member), states.LAPSED, reason="test")
    db.session.commit()
    assert client.get(url).status_code == 404
