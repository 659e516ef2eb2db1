"""The list (bounded queries), month view, tag filter, an event's page, and recommendations."""
from __future__ import annotations

from datetime import timedelta

import pytest

from club.events import booking, listing
from club.extensions import db
from club.models.base import utcnow
from club.models.club import InterestTag
from club.models.events import Booking, Event, EventInvitation
from tests.events.factories import make_event, seat
from tests.factories import count_loads, count_queries, login, make_curator, make_member


def _many_events(n, member, others, curator, tags):
    now = utcnow()
    for i in range(n):
        e = Event(title=f"Event {i}", starts_at=now + timedelta(days=1, hours=i), ends_at=now + timedelta(days=1, hours=i + 2),
                  venue_name="Room", capacity=10, seats_taken=0, state="published", host_id=curator.id,
                  visibility="invite_only" if i % 5 == 0 else "members", tags=[tags[i % 3], tags[(i + 1) % 3]])
        db.session.add(e)
        db.session.flush()
        if i % 5 == 0:
            db.session.add(EventInvitation(event_id=e.id, user_id=member.id))
        for j, other in enumerate(others):
            db.session.add(Booking(event_id=e.id, user_id=other.id, state="confirmed", guests=j % 2, queued_at=now))
            e.seats_taken += 1 + j % 2
        db.session.add(Booking(event_id=e.id, user_id=member.id, state="confirmed" if i % 2 else "waitlisted",
                               queued_at=now))
        e.seats_taken += 1 if i % 2 else 0
    db.session.commit()


@pytest.mark.parametrize("role", ["member", "curator"])
def test_the_list_runs_the_same_number_of_queries_for_10_and_300_events(client, ctx, role):
    curator = make_curator()
    member = make_member()
    viewer = member if role == "member" else curator
    others = [make_member() for _ in range(3)]
    login(client, viewer)
    tags = [InterestTag(name=f"tag{i}") for i in range(3)]
    db.session.add_all(tags)
    counts = []
    for n in (10, 290):  # 10 events, then 300 in all
        _many_events(n, member, others, curator, tags)
        client.get("/events")  # warm up caches that live per process
        with count_queries() as counter:
            r = client.get("/events")
        assert r.status_code == 200
        counts.append(counter["n"])
    body = r.get_data(as_text=True)
    # 300 upcoming events: the soonest page of them, and "later" pages that reach every one.
    assert body.count('class="event-row"') == listing.EVENTS_PER_PAGE
    assert f"Page 1 of {-(-300 // listing.EVENTS_PER_PAGE)}" in body and "Later" in body
    print(f"queries for 10 vs 300 events ({role}): {counts}")
    assert counts[0] == counts[1], f"queries for 10 vs 300 events: {counts}"


def test_the_list_shows_seats_left_waitlist_and_own_status(client, ctx):
    member, other = make_member(), make_member()
    roomy = make_event("Roomy supper", capacity=10)
    full = make_event("Full supper", capacity=1)
    seat(full, other)
    mine = make_event("My supper", capacity=5)
    seat(mine, member, guests=1)
    login(client, member)
    body = client.get("/events").get_data(as_text=True)
    assert "10 seats left" in body and "Full · waitlist open" in body and "Booked · +1" in body
    assert roomy.title in body and full.title in body


def test_the_list_filters_by_interest_tag(client, ctx):
    member = make_member()
    make_event("Wine tasting", tags=["wine"])
    make_event("Book club", tags=["books"])
    login(client, member)
    body = client.get("/events?tag=wine").get_data(as_text=True)
    assert "Wine tasting" in body and "Book club" not in body


def test_the_month_view_shows_the_month_and_navigates(client, ctx):
    member = make_member()
    event = make_event("Midwinter supper", starts_in=timedelta(days=40))
    login(client, member)
    local = event.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
    r = client.get(f"/events/month?m={local.year:04d}-{local.month:02d}")
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Midwinter supper" in body and local.strftime("%B %Y") in body
    assert "Previous month" in body and "Next month" in body
    other_month = local.replace(day=1) - timedelta(days=40)
    body = client.get(f"/events/month?m={other_month.year:04d}-{other_month.month:02d}").get_data(as_text=True)
    assert "Midwinter supper" not in body
    assert client.get("/events/month?m=garbage").status_code == 200


def test_descriptions_are_escaped_and_links_are_safe(client, ctx):
    member = make_member()
    event = make_event()
    event.description = 'Bring <script>alert(1)</script> friends.\n\nMenu: https://example.org/menu?a=1&b=2 "x"'
    db.session.commit()
    login(client, member)
    body = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    assert '<a href="https://example.org/menu?a=1&amp;b=2" rel="nofollow noopener">' in body


def test_staff_see_the_attendee_link_on_the_event_page(client, ctx):
    curator = make_curator()
    event = make_event()
    login(client, curator)
    assert f'/events/{event.id}/attendees"' in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_nothing_is_recommended_to_someone_without_access(ctx):
    from club.membership import states

    lapsed = make_member(state=states.LAPSED)
    make_event()
    assert listing.recommended_events_for(lapsed) == []


def test_an_evening_under_way_stays_listed_with_booking_closed(client, ctx):
    member = make_member()
    make_event("Under way", starts_in=timedelta(hours=-1), hours=3)
    make_event("Over", starts_in=timedelta(hours=-4), hours=2)
    login(client, member)
    body = client.get("/events").get_data(as_text=True)
    assert "Under way" in body and "Over" not in body
    event_id = db.session.scalars(db.select(Event.id).where(Event.title == "Under way")).one()
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "booking is closed" in page and "Join the waitlist" not in page and ">Book<" not in page


def test_recommended_events_put_shared_interests_first_and_never_hidden_ones(ctx):
    member = make_member(interests=["wine", "books"])
    stranger = make_member()
    make_event("Soon, sailing", starts_in=timedelta(days=1), tags=["sailing"])
    make_event("Later, wine", starts_in=timedelta(days=5), tags=["wine"])
    make_event("Private wine", starts_in=timedelta(days=2), tags=["wine"], visibility="invite_only",
               invited=[stranger])
    make_event("Draft wine", starts_in=timedelta(days=2), tags=["wine"], state="draft")
    booked = make_event("Booked books", starts_in=timedelta(days=3), tags=["books"])
    booking.book(member, booked.id, 0)
    titles = [e.title for e in listing.recommended_events_for(member)]
    assert titles == ["Later, wine", "Soon, sailing"]
    assert [e.title for e in listing.recommended_events_for(member, limit=1)] == ["Later, wine"]
    assert listing.recommended_events_for(make_curator()) == []


def test_later_pages_continue_in_date_order_and_hold_every_upcoming_event(client, ctx):
    curator = make_curator()
    member = make_member()
    total = listing.EVENTS_PER_PAGE * 2 + 5
    for i in range(total):
        make_event(host=curator, title=f"Evening {i:03d}", starts_in=timedelta(days=1, hours=total - i))
    login(client, member)
    client.get("/events")  # warm up caches that live per process
    seen, counts = [], []
    for number in (1, 2, 3):
        with count_queries() as counter:
            body = client.get(f"/events?page={number}").get_data(as_text=True)
        seen.extend(line for line in body.split(">") if line.startswith("Evening "))
        counts.append(counter["n"])
    assert counts[0] == counts[1] == counts[2], counts
    titles = [t.split("<")[0] for t in seen]
    assert len(titles) == total and len(set(titles)) == total
    assert titles == sorted(titles, reverse=True)  # the later an "Evening nnn" is numbered, the sooner it starts


def test_recommendations_load_only_the_events_they_show(ctx):
    """Ranked and cut in SQL: the member's home page does not load every upcoming event."""
    member = make_member(interests=["wine"])
    for i in range(30):
        make_event(f"Supper {i}", starts_in=timedelta(days=1, hours=i), tags=["wine"] if i == 17 else ["books"])
    db.session.expire_all()
    with count_loads(Event) as loaded:
        shown = listing.recommended_events_for(member, limit=3)
    assert [e.title for e in shown] == ["Supper 17", "Supper 0", "Supper 1"]
    assert len(loaded) == 3


def test_a_tag_with_control_characters_is_a_search_never_an_error(client, ctx):
    """PostgreSQL refuses a NUL in any text parameter: the tag from the query string drops them."""
    login(client, make_member())
    for tag in ("%00", "wi%00ne", "%1f" * 3, "x" * 5000):
        assert client.get(f"/events?tag={tag}").status_code == 200
