"""A session ends at its absolute lifetime, however busy it was (club/auth/sessions.py)."""
import time
from datetime import datetime, timedelta, timezone

from freezegun import freeze_time

from tests.factories import login, make_curator, make_member

HOUR = 3600


def _cookie(app, user, *, signed_in_hours_ago: float | None, issued_hours_ago: float = 0) -> str:
    """A session cookie signed with the app's own key and serializer, as a thief's copy would be."""
    serializer = app.session_interface.get_signing_serializer(app)
    issued = datetime.now(timezone.utc) - timedelta(hours=issued_hours_ago)
    data = {"_user_id": user.get_id(), "_fresh": True, "_permanent": True}
    if signed_in_hours_ago is not None:
        data["signed_in_at"] = int(time.time() - signed_in_hours_ago * HOUR)
    with freeze_time(issued):
        return serializer.dumps(data)


def _signed_in(client) -> bool:
    response = client.get("/home")
    return response.status_code == 302 and "/login" not in response.headers["Location"]


def _client_with(app, cookie):
    client = app.test_client()
    client.set_cookie("club_session", cookie, domain="club.test")
    return client


def test_a_session_signed_in_longer_ago_than_its_lifetime_is_refused_even_if_fresh(app, ctx):
    member = make_member()
    # Re-issued an hour ago (so within the idle lifetime), but signed in 73 hours ago.
    client = _client_with(app, _cookie(app, member, signed_in_hours_ago=73, issued_hours_ago=1))
    assert not _signed_in(client)
    assert client.get_cookie("club_session", domain="club.test") is None or \
        "_user_id" not in app.session_interface.get_signing_serializer(app).loads(
            client.get_cookie("club_session", domain="club.test").value)


def test_a_cookie_without_its_sign_in_time_is_refused(app, ctx):
    member = make_member()
    assert not _signed_in(_client_with(app, _cookie(app, member, signed_in_hours_ago=None)))


def test_using_a_session_does_not_extend_its_absolute_lifetime(app, ctx):
    member = make_member()
    client = _client_with(app, _cookie(app, member, signed_in_hours_ago=71, issued_hours_ago=1))
    assert _signed_in(client)  # 71 hours: still within the 72
    refreshed = client.get_cookie("club_session", domain="club.test").value
    with freeze_time(datetime.now(timezone.utc) + timedelta(hours=2)):
        later = _client_with(app, refreshed)  # the cookie re-issued a moment ago, used two hours on
        assert not _signed_in(later)


def test_staff_sessions_are_shorter(app, ctx):
    member, curator = make_member(), make_curator()
    assert app.config["SESSION_STAFF_ABSOLUTE_HOURS"] < app.config["SESSION_ABSOLUTE_HOURS"]
    hours = app.config["SESSION_STAFF_ABSOLUTE_HOURS"] + 1
    assert _signed_in(_client_with(app, _cookie(app, member, signed_in_hours_ago=hours)))
    assert not _signed_in(_client_with(app, _cookie(app, curator, signed_in_hours_ago=hours)))


def test_signing_in_starts_the_clock(app, client, ctx):
    member = make_member()
    login(client, member)
    data = app.session_interface.get_signing_serializer(app).loads(
        client.get_cookie("club_session", domain="club.test").value)
    assert abs(data["signed_in_at"] - time.time()) < 60
    start = datetime.now(timezone.utc)
    for hours in (20, 40, 60):  # used every 20 hours: the idle lifetime never runs out
        with freeze_time(start + timedelta(hours=hours)):
            assert _signed_in(client)
    with freeze_time(start + timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"], minutes=1)):
        assert not _signed_in(client)
