"""The evenings of a stretch of time a person may see: published only, visibility respected, one
statement's worth of queries however many evenings."""
from datetime import timedelta

from club.events.programme import booking_link, evenings_between
from club.models.base import utcnow
from club.models.events import EVENT_CANCELLED, EVENT_DRAFT
from tests.events.factories import make_event
from tests.factories import count_queries, make_admin, make_curator, make_member


def test_only_published_evenings_the_person_may_see_in_the_window(ctx):
    member, other = make_member(), make_member()
    curator_member = make_curator()
    now = utcnow()
    open_ = make_event("Open", starts_in=timedelta(days=2))
    invited = make_event("Invited", starts_in=timedelta(days=1), visibility="invite_only", invited=[member])
    make_event("Not invited", starts_in=timedelta(days=3), visibility="invite_only", invited=[other])
    make_event("Draft", starts_in=timedelta(days=4), state=EVENT_DRAFT)
    make_event("Called off", starts_in=timedelta(days=5), state=EVENT_CANCELLED)
    make_event("Too late", starts_in=timedelta(days=20))
    window = (now, now + timedelta(days=10))
    assert [e.title for e in evenings_between(member, *window)] == ["Invited", "Open"]
    assert [e.title for e in evenings_between(other, *window)] == ["Open", "Not invited"]
    # Staff see drafts elsewhere, never in a programme.
    assert [e.title for e in evenings_between(curator_member, *window)] == ["Invited", "Open", "Not invited"]
    assert evenings_between(make_member(state="lapsed"), *window) == []
    assert booking_link(open_) == f"http://club.test/events/{open_.id}" and invited.id


def test_the_cost_does_not_grow_with_the_evenings(ctx):
    member = make_member()
    now = utcnow()
    make_event("One", starts_in=timedelta(days=1), tags=["wine"], host=make_admin())
    with count_queries() as few:
        evenings_between(member, now, now + timedelta(days=30))
    for n in range(8):
        make_event(f"More {n}", starts_in=timedelta(days=2 + n), tags=["wine", f"t{n}"], host=make_admin())
    with count_queries() as many:
        assert len(evenings_between(member, now, now + timedelta(days=30))) == 9
    assert many["n"] == few["n"]
