"""Who sees which event: role × kind of event → 200 or 404, for the page, its .ics and its door list."""
import pytest

from club.membership import states
from tests.events.factories import make_event
from tests.factories import login, make_admin, make_curator, make_member, make_user

ROLES = ["visitor", "applicant", "pending", "lapsed", "suspended", "ended", "member", "invited", "past_due",
         "curator", "admin"]
KINDS = ["open", "invite_only", "draft", "called_off"]

# Expected status of /events/<id> (and of its .ics): 200 or 404.
SEES = {
    "visitor": {"open": 404, "invite_only": 404, "draft": 404, "called_off": 404},
    "applicant": {"open": 404, "invite_only": 404, "draft": 404, "called_off": 404},
    "pending": {"open": 404, "invite_only": 404, "draft": 404, "called_off": 404},
    "lapsed": {"open": 404, "invite_only": 404, "draft": 404, "called_off": 404},
    "suspended": {"open": 404, "invite_only": 404, "draft": 404, "called_off": 404},
    "ended": {"open": 404, "invite_only": 404, "draft": 404, "called_off": 404},
    "member": {"open": 200, "invite_only": 404, "draft": 404, "called_off": 200},
    "past_due": {"open": 200, "invite_only": 404, "draft": 404, "called_off": 200},
    "invited": {"open": 200, "invite_only": 200, "draft": 404, "called_off": 200},
    "curator": {"open": 200, "invite_only": 200, "draft": 200, "called_off": 200},
    "admin": {"open": 200, "invite_only": 200, "draft": 200, "called_off": 200},
}


def _person(role):
    if role == "visitor":
        return None
    if role == "applicant":
        return make_user()
    if role in ("curator", "admin"):
        return make_curator() if role == "curator" else make_admin()
    state = {"pending": states.PENDING_PAYMENT, "lapsed": states.LAPSED, "suspended": states.SUSPENDED,
             "ended": states.ENDED, "past_due": states.PAST_DUE}.get(role, states.ACTIVE)
    return make_member(state=state)


def _events(invited_person):
    invited = [invited_person] if invited_person is not None else []
    return {
        "open": make_event("Open"),
        "invite_only": make_event("Private", visibility="invite_only", invited=invited),
        "draft": make_event("Draft", state="draft", visibility="invite_only", invited=invited),
        "called_off": make_event("Off", state="cancelled"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_visibility_table(client, ctx, role):
    person = _person(role)
    # The invited member is on every guest list; everyone else is on none (but others are).
    events = _events(person if role == "invited" else make_member())
    if person is not None:
        login(client, person)
    for kind in KINDS:
        event = events[kind]
        expected = SEES[role][kind]
        page = client.get(f"/events/{event.id}")
        assert page.status_code == expected, f"{role} × {kind}: /events/{event.id} answered {page.status_code}"
        if expected == 404:
            assert event.title not in page.get_data(as_text=True)
        assert client.get(f"/events/{event.id}.ics").status_code == expected, f"{role} × {kind} .ics"
        door = 200 if role in ("curator", "admin") else 404
        assert client.get(f"/events/{event.id}/attendees").status_code == door, f"{role} × {kind} attendees"
        assert client.get(f"/events/{event.id}/attendees.csv").status_code == door
        assert client.post(f"/events/{event.id}/book", data={"guests": "0"}).status_code in (
            (404,) if expected == 404 else (302,))


@pytest.mark.parametrize("role", ["member", "invited", "curator"])
def test_the_list_shows_only_what_the_person_may_see(client, ctx, role):
    person = _person(role)
    events = _events(person if role == "invited" else make_member())
    login(client, person)
    body = client.get("/events").get_data(as_text=True)
    visible = {k for k in KINDS if SEES[role][k] == 200 and (k != "called_off" or role == "curator")}
    if role != "curator":
        visible.discard("draft")
    for kind, event in events.items():
        assert (f"/events/{event.id}\"" in body) is (kind in visible), f"{role} sees {kind}: {kind in visible}"


def test_visitors_are_sent_to_sign_in_for_the_list_and_month(client):
    for path in ("/events", "/events/month"):
        r = client.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"]


@pytest.mark.parametrize("role", ["applicant", "lapsed"])
def test_people_without_access_do_not_get_the_list(client, ctx, role):
    login(client, _person(role))
    assert client.get("/events").status_code == 403


def test_members_cannot_reach_the_staff_pages(client, ctx):
    member = make_member()
    event = make_event()
    login(client, member)
    assert client.get("/events/new").status_code == 404
    assert client.get(f"/events/{event.id}/edit").status_code == 404
    assert client.post(f"/events/{event.id}/publish").status_code == 404
    assert client.post(f"/events/{event.id}/call-off").status_code == 404
    assert client.post(f"/events/{event.id}/attendees/1", data={"attendance": "attended"}).status_code == 404
