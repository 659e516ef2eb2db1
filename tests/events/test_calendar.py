"""iCalendar files, read back with the icalendar library."""
from icalendar import Calendar

from tests.events.factories import make_event
from tests.factories import login, make_member


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
