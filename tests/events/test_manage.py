"""The staff's pages and use cases: creating a draft, publishing, editing (capacity, invitations,
local times), calling an event off."""
import re
from datetime import timedelta

import pytest

from club.events import booking, errors, manage
from club.extensions import db
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.events import Event
from tests.events.factories import make_event, reload
from tests.events.test_booking import _seats, _state
from tests.factories import login, make_admin, make_curator, make_member


def test_calling_off_tells_everyone_booked_or_waiting(client, ctx, outbox):
    curator = make_curator()
    booked, waiting, bystander = make_member(), make_member(), make_member()
    event = make_event(capacity=1)
    booking.book(booked, event.id, 0)
    booking.book(waiting, event.id, 0)
    login(client, curator)
    r = client.post(f"/events/{event.id}/call-off", follow_redirects=True)
    assert "2 people were told" in r.get_data(as_text=True)
    assert "Called off" in outbox.to(booked.email)[-1]["Subject"]
    assert "Called off" in outbox.to(waiting.email)[-1]["Subject"]
    assert outbox.to(bystander.email) == []
    assert reload(event).state == "cancelled"


def test_more_capacity_goes_to_the_waitlist_and_less_than_booked_is_refused(ctx):
    admin = make_admin()
    a, b = make_member(), make_member()
    event = make_event(capacity=1)
    booking.book(a, event.id, 0)
    booking.book(b, event.id, 0)
    _, values = manage.event_form_data(admin, event.id)
    draft = manage.EventDraft(**{**_draft_values(values), "capacity": 2})
    manage.update_event(admin, event.id, draft)
    assert _state(event.id, b) == "confirmed"
    with pytest.raises(errors.EventError) as exc:
        manage.update_event(admin, event.id, manage.EventDraft(**{**_draft_values(values), "capacity": 1}))
    assert exc.value.field == "capacity"


def _draft_values(values):
    out = dict(values)
    out["starts_at"] = manage.local_to_utc(values["starts_at"])
    out["ends_at"] = manage.local_to_utc(values["ends_at"])
    return out


def test_uninviting_a_member_releases_their_booking(ctx):
    curator = make_curator()
    guest, other = make_member(), make_member()
    event = make_event(visibility="invite_only", invited=[guest, other])
    booking.book(guest, event.id, 0)
    _, values = manage.event_form_data(curator, event.id)
    manage.update_event(curator, event.id, manage.EventDraft(**{**_draft_values(values), "invited_ids": [other.id]}))
    assert _state(event.id, guest) == "released" and _seats(event.id) == 0


def _form(**overrides):
    start = (utcnow() + timedelta(days=10)).astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
    data = {"title": "Autumn supper", "description": "Five courses.", "starts_at": start.strftime("%Y-%m-%dT19:00"),
            "ends_at": start.strftime("%Y-%m-%dT22:30"), "venue_name": "The Linden Room",
            "venue_address": "14 Mercer Street", "capacity": "12", "max_guests": "1", "cancel_cutoff_hours": "48",
            "visibility": "members"}
    data.update(overrides)
    return data


def test_a_curator_creates_a_draft_publishes_it_and_members_see_it(client, ctx):
    curator = make_curator()
    member = make_member(email="m@example.org")
    tag = InterestTag(name="cooking")
    db.session.add(tag)
    db.session.commit()
    login(client, curator)
    assert 'href="/events/new"' in client.get("/events").get_data(as_text=True)
    r = client.post("/events/new", data={**_form(), "host_id": str(curator.id), "tag_ids": [str(tag.id)]})
    assert r.status_code == 302
    event = db.session.scalars(db.select(Event)).one()
    assert event.state == "draft" and [t.name for t in event.tags] == ["cooking"]
    local = event.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
    assert (local.hour, local.minute) == (19, 0)  # typed in the club's zone, stored in UTC
    client.post(f"/events/{event.id}/publish")
    assert reload(event).state == "published"
    client.post("/logout")
    login(client, member)
    assert "Autumn supper" in client.get("/events").get_data(as_text=True)


def test_the_event_form_keeps_typed_values_and_shows_errors_at_their_fields(client, ctx):
    curator = make_curator()
    login(client, curator)
    data = _form(title="Late supper", capacity="0")
    data["ends_at"] = data["starts_at"].replace("T19:00", "T18:00")
    r = client.post("/events/new", data={**data, "host_id": str(curator.id)})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and 'value="Late supper"' in body and "capacity-error" in body
    r = client.post("/events/new", data={**data, "capacity": "5", "host_id": str(curator.id)})
    assert r.status_code == 400 and "ends_at-error" in r.get_data(as_text=True)
    r = client.post("/events/new", data={**_form(visibility="invite_only"), "host_id": str(curator.id)})
    assert r.status_code == 400 and "invited_ids-error" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0


def test_an_invite_only_event_names_its_members(client, ctx):
    curator = make_curator()
    guest, other = make_member(), make_member()
    login(client, curator)
    r = client.post("/events/new", data={**_form(visibility="invite_only"), "host_id": str(curator.id),
                                         "invited_ids": [str(guest.id)]})
    assert r.status_code == 302
    event = db.session.scalars(db.select(Event)).one()
    client.post(f"/events/{event.id}/publish")
    client.post("/logout")
    login(client, guest)
    assert client.get(f"/events/{event.id}").status_code == 200
    client.post("/logout")
    login(client, other)
    assert client.get(f"/events/{event.id}").status_code == 404


def test_editing_keeps_the_local_times(client, ctx):
    admin = make_admin()
    event = make_event()
    login(client, admin)
    body = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    local = event.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
    assert local.strftime("%Y-%m-%dT%H:%M") in body
    r = client.post(f"/events/{event.id}/edit", data={**_form(title="Renamed"), "host_id": str(admin.id)})
    assert r.status_code == 302 and reload(event).title == "Renamed" and event.sequence == 1


def test_a_double_submitted_new_event_is_created_once(client, ctx):
    curator = make_curator()
    login(client, curator)
    data = {**_form(), "host_id": str(curator.id)}
    first = client.post("/events/new", data=data)
    second = client.post("/events/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 1


def test_invited_members_are_a_ticked_list_with_a_filter_and_keep_their_ticks_on_error(client, ctx):
    curator = make_curator()
    ada, bea = make_member(name="Ada Lovelace"), make_member(name="Bea Smith")
    login(client, curator)
    page = client.get("/events/new").get_data(as_text=True)
    # Checkboxes, not a multi-select needing Ctrl-click; the filter box waits for the script.
    assert "<select multiple" not in page and "Ctrl" not in page
    assert f'type="checkbox" value="{ada.id}"' in page and f'type="checkbox" value="{bea.id}"' in page
    assert 'data-list-filter="invited_ids" hidden' in page and 'aria-controls="invited_ids"' in page
    # A refused form (no title) keeps the ticks.
    r = client.post("/events/new", data={**_form(title="", visibility="invite_only"), "host_id": str(curator.id),
                                         "invited_ids": [str(bea.id)]})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert re.search(rf'<input checked[^>]*value="{bea.id}"', body)
    assert not re.search(rf'<input checked[^>]*value="{ada.id}"', body)
