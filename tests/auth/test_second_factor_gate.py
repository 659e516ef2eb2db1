"""Staff set up a second factor before any page (club/auth/second_factor_gate.py)."""
from __future__ import annotations

import pytest
from freezegun import freeze_time

from club.auth import second_factor
from tests.auth.factories import code_now, enrol, sign_in_with_code
from tests.factories import login, make_admin, make_curator, make_member

NOW = "2026-11-23 10:00:05"


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_SECOND_FACTOR_REQUIRED", True)


def test_a_curator_without_a_second_factor_is_sent_to_set_it_up(client, ctx, required):
    curator = make_curator()
    login(client, curator)
    r = client.get("/curation/applications?tab=new")
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/account/security/enrol?next=")
    assert "curation/applications" in r.headers["Location"]
    # a form posted to a staff page is refused the same way, before it acts
    assert client.post("/events/new", data={"title": "x"}).status_code == 303
    # what stays open: the set-up page, the security page, signing out
    assert client.get("/account/security/enrol").status_code == 200
    assert client.get("/account/security").status_code == 200
    assert client.get("/").status_code in (200, 302)


def test_after_enrolment_the_staff_pages_open(client, ctx, required):
    curator = make_curator()
    with freeze_time(NOW):
        login(client, curator)
        enrol(client)
        assert client.get("/curation/applications").status_code == 200


def test_an_admin_is_gated_on_every_page_not_only_admin_ones(client, ctx, required):
    admin = make_admin()
    login(client, admin)
    assert client.get("/admin").status_code == 303
    assert client.get("/events").status_code == 303


def test_members_are_not_asked(client, ctx, required):
    member = make_member()
    login(client, member)
    assert client.get("/events").status_code == 200


def test_without_the_setting_staff_are_not_gated_outside_production(client, ctx):
    curator = make_curator()
    login(client, curator)
    assert client.get("/curation/applications").status_code == 200


@pytest.mark.parametrize("env, setting, staff, required_", [
    ("production", False, True, True),      # production always requires it of staff
    ("production", False, False, False),    # members never must
    ("development", False, True, False),
    ("development", True, True, True),
    ("testing", True, False, False),
])
def test_who_must_have_one(app, ctx, monkeypatch, env, setting, staff, required_):
    monkeypatch.setitem(app.config, "CLUB_ENV", env)
    monkeypatch.setitem(app.config, "STAFF_SECOND_FACTOR_REQUIRED", setting)
    person = make_curator() if staff else make_member()
    assert second_factor.required_for(person) is required_


def test_staff_sign_in_with_the_code_once_enrolled(client, app, ctx, required):
    curator = make_curator()
    with freeze_time(NOW) as clock:
        login(client, curator)
        secret, _ = enrol(client)
        clock.tick(30)
        other = app.test_client()
        assert sign_in_with_code(other, curator.email, code_now(secret)).status_code == 302
        assert other.get("/curation/applications").status_code == 200
