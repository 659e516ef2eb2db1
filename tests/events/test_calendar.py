"""iCalendar files and the personal feed, read back with the icalendar library."""
import re

from icalendar import Calendar

from club.events import service
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.membership.changes import change_membership_state
from tests.events.factories import make_event, seat
from tests.factories import login, make_curator, make_member


def _parse(body: bytes):
    cal = Calendar.from_ical(body)
    return cal, [c for c in cal.walk("VEVENT")]


def test_the_event_ics_is_valid_icalendar_with_a_stable_uid(client, ctx):
    member = make_member()
    event = make_event("Supper, with a comma; and semicolon")
    login(client, member)
    r = client.get(f"/events/{event.id}.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    cal, (vevent,) = _parse(r.data)
    assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    assert str(vevent["SUMMARY"]) == "Supper, with a comma; and semicolon"
    # iCalendar has whole seconds
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert str(vevent["UID"]) == f"event-{event.id}@club.test"
    assert "DTSTAMP" in vevent and str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["URL"]) == f"http://club.test/events/{event.id}"
    again = _parse(client.get(f"/events/{event.id}.ics").data)[1][0]
    assert str(again["UID"]) == str(vevent["UID"])


def _feed_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_personal_feed_lists_booked_events_only(client, ctx):
    member, other = make_member(), make_member()
    booked = make_event("Booked supper")
    waiting = make_event("Full supper", capacity=1)
    seat(waiting, other)
    make_event("Not booked")
    service.book(member, booked.id, 0)
    service.book(member, waiting.id, 0)
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
    service.book(member, event.id, 0)
    url = service.feed_url_for(member)
    service.call_off_event(curator, event.id)
    _, (vevent,) = _parse(client.get(_feed_path(url)).data)
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) >= 1


def test_regenerating_revokes_the_old_feed_url(client, ctx):
    member = make_member()
    old = service.feed_url_for(member)
    assert client.get(_feed_path(old)).status_code == 200
    login(client, member)
    client.post("/events/calendar/regenerate")
    db.session.expire_all()
    new = service.feed_url_for(member)
    assert new != old
    assert client.get(_feed_path(old)).status_code == 404
    assert client.get(_feed_path(new)).status_code == 200


def test_tampered_or_foreign_tokens_answer_404(client, ctx):
    member = make_member()
    url = _feed_path(service.feed_url_for(member))
    token = url.rsplit("/", 1)[1][:-4]
    assert client.get(f"/calendar/{token[:-2]}xx.ics").status_code == 404
    assert client.get("/calendar/sample-token.ics").status_code == 404


def test_the_feed_closes_when_access_ends(client, ctx):
    member = make_member()
    url = _feed_path(service.feed_url_for(member))
    change_membership_state(membership_of(member), states.LAPSED, reason="test")
    db.session.commit()
    assert client.get(url).status_code == 404
