import re
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from club.auth import service
from tests.factories import PASSWORD, login, make_user

NEW_PASSWORD = "a brand new passphrase"


def _link_from(message) -> str:
    return re.search(r"http://club\.test(/password/reset/\S+)", message.get_content()).group(1)


def test_reset_mail_goes_only_to_known_accounts_with_the_same_page(client, ctx, outbox):
    user = make_user()
    known = client.post("/password/forgot", data={"email": user.email})
    unknown = client.post("/password/forgot", data={"email": "stranger@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert "Check your email" in known.get_data(as_text=True) and "Check your email" in unknown.get_data(as_text=True)
    assert len(outbox.messages) == 1 and outbox.last()["To"] == user.email


def test_valid_link_sets_the_password_and_ends_old_sessions(app, client, ctx, outbox):
    user = make_user()
    other_device = app.test_client()
    login(other_device, user)
    client.post("/password/forgot", data={"email": user.email})
    link = _link_from(outbox.last())
    assert client.get(link).status_code == 200
    r = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")
    login(client, user, NEW_PASSWORD)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302  # already in
    assert "/login" in other_device.get("/home").headers["Location"]


def test_link_dies_once_used(client, ctx, outbox):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    link = _link_from(outbox.last())
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.post(link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)


def test_expired_link_explains_what_to_do(client, ctx, outbox):
    user = make_user()
    with freeze_time(datetime.now(timezone.utc) - timedelta(hours=2)):
        token = service.make_reset_token(user)
    r = client.get(f"/password/reset/{token}")
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "expired" in body and "ask for a new link" in body


@pytest.mark.parametrize("mangle", [lambda t: t[:-3] + "abc", lambda t: "x" + t, lambda t: "not-a-token"])
def test_tampered_link_is_refused(client, ctx, mangle):
    user = make_user()
    token = mangle(service.make_reset_token(user))
    r = client.post(f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert r.status_code == 400
    assert "not valid" in r.get_data(as_text=True)


def test_mismatched_passwords_keep_the_form(client, ctx):
    user = make_user()
    token = service.make_reset_token(user)
    r = client.post(f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": "different one here"})
    assert r.status_code == 200 and "The two passwords differ." in r.get_data(as_text=True)
