"""An admin resets another person's second factor from /admin/staff; the command line is the last resort."""
from __future__ import annotations

import pytest
from freezegun import freeze_time

from club.core import erasure
from club.extensions import db
from club.models.auth import RecoveryCode, SecondFactor
from club.models.club import AuditEntry
from tests.auth.factories import enrol
from tests.factories import PASSWORD, login, make_admin, make_curator, make_member

NOW = "2026-11-23 10:00:05"


def _enrolled_curator(app):
    curator = make_curator()
    own = app.test_client()
    login(own, curator)
    secret, codes = enrol(own)
    return curator, own


def test_the_staff_page_shows_who_has_a_second_factor_and_offers_a_reset(client, app, ctx):
    admin = make_admin()
    with freeze_time(NOW):
        curator, _ = _enrolled_curator(app)
        make_curator(name="Nadia Without")
        login(client, admin)
        page = client.get("/admin/staff").get_data(as_text=True)
    assert f"Reset the second factor of {curator.full_name}" in page
    assert "not set up" in page


def test_an_admin_resets_a_lost_phone_the_person_is_signed_out_and_audited(client, app, ctx, monkeypatch):
    admin = make_admin()
    with freeze_time(NOW):
        curator, curator_client = _enrolled_curator(app)
        login(client, admin)
        r = client.post("/admin/staff/second-factor/reset", data={"user_id": curator.id})
        assert r.status_code == 302
    assert db.session.get(SecondFactor, curator.id) is None
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "second_factor.reset")).one()
    assert (entry.actor_id, entry.subject_id, entry.details) == (admin.id, curator.id, {})
    # every session of theirs has ended
    assert "/login" in curator_client.get("/account/security").headers["Location"]
    # they sign in with the password alone, and as staff are asked to set up the app again
    monkeypatch.setitem(app.config, "STAFF_SECOND_FACTOR_REQUIRED", True)
    again = app.test_client()
    r = again.post("/login", data={"email": curator.email, "password": PASSWORD})
    assert r.status_code == 302 and "/login/code" not in r.headers["Location"]
    assert again.get("/curation/applications").headers["Location"].startswith("/account/security/enrol")


def test_an_admin_cannot_reset_their_own_here(client, ctx):
    admin = make_admin()
    with freeze_time(NOW):
        login(client, admin)
        enrol(client)
        r = client.post("/admin/staff/second-factor/reset", data={"user_id": admin.id}, follow_redirects=True)
    assert "Another admin must reset your own second factor" in r.get_data(as_text=True)
    assert db.session.get(SecondFactor, admin.id).enabled_at is not None


@pytest.mark.parametrize("user_id", ["", "abc", "99999", "99999999999999999999", "-1", "\x00"])
def test_a_reset_of_nobody_is_a_message_not_a_500(client, ctx, user_id):
    login(client, make_admin())
    r = client.post("/admin/staff/second-factor/reset", data={"user_id": user_id}, follow_redirects=True)
    assert r.status_code == 200 and "could not be found" in r.get_data(as_text=True)


def test_only_admins_may_reset(client, app, ctx):
    with freeze_time(NOW):
        curator, curator_client = _enrolled_curator(app)
        other = make_curator()
        r = curator_client.post("/admin/staff/second-factor/reset", data={"user_id": other.id})
    assert r.status_code == 403
    assert client.post("/admin/staff/second-factor/reset", data={"user_id": curator.id}).status_code == 302
    assert db.session.get(SecondFactor, curator.id) is not None


def test_the_command_line_resets_the_last_admin(app, ctx):
    admin = make_admin()
    with freeze_time(NOW):
        own = app.test_client()
        login(own, admin)
        enrol(own)
    version = admin.session_version
    result = app.test_cli_runner().invoke(args=["reset-second-factor", admin.email])
    assert result.exit_code == 0, result.output
    assert db.session.get(SecondFactor, admin.id) is None
    db.session.refresh(admin)
    assert admin.session_version == version + 1
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "second_factor.reset")).one().actor_id is None
    again = app.test_cli_runner().invoke(args=["reset-second-factor", admin.email])
    assert again.exit_code != 0 and "has no second factor" in again.output


def test_erasing_a_person_erases_their_second_factor(app, ctx):
    member = make_member()
    with freeze_time(NOW):
        own = app.test_client()
        login(own, member)
        enrol(own)
    erasure.erase_person(member.id)
    db.session.commit()
    assert db.session.get(SecondFactor, member.id) is None
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
