import pytest

from club.extensions import db
from club.models.club import AuditEntry
from club.models.user import User
from tests.factories import login, make_admin, make_curator, make_member, make_user

STAFF_PAGES = ["/admin", "/admin/staff", "/admin/settings", "/admin/audit"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_visitors_are_sent_to_sign_in(client, path):
    r = client.get(path)
    assert r.status_code == 302 and "/login" in r.headers["Location"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_members_and_curators_get_403_on_admin_pages(client, ctx, path):
    member = make_member()
    login(client, member)
    assert client.get(path).status_code == 403
    client.post("/logout")
    login(client, make_curator())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_admin_sees_admin_pages(client, ctx, path):
    login(client, make_admin())
    assert client.get(path).status_code == 200


def test_admin_grants_curator_role_to_a_member(client, ctx):
    admin = make_admin()
    member = make_member()
    login(client, admin)
    r = client.post("/admin/staff", data={"grant-email": member.email, "grant-role": "curator", "grant-submit": "1"})
    assert r.status_code == 302
    assert db.session.get(User, member.id).is_curator
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "role.granted")).all()[-1]
    assert entry.actor_id == admin.id and entry.subject_id == member.id and entry.details["role"] == "curator"


def test_granting_to_an_unknown_email_keeps_the_form(client, ctx):
    login(client, make_admin())
    r = client.post("/admin/staff", data={"grant-email": "ghost@example.org", "grant-role": "curator",
                                          "grant-submit": "1"})
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "There is no account with that email." in body and 'value="ghost@example.org"' in body


def test_admin_removes_a_role_and_the_person_must_sign_in_again(app, client, ctx):
    admin = make_admin()
    curator = make_curator()
    curator_client = app.test_client()
    login(curator_client, curator)
    login(client, admin)
    client.post("/admin/staff/revoke", data={"user_id": curator.id, "role": "curator"})
    assert not db.session.get(User, curator.id).is_curator
    assert "/login" in curator_client.get("/curation/applications").headers.get("Location", "/login")


def test_the_last_admin_cannot_remove_themselves(client, ctx):
    admin = make_admin()
    login(client, admin)
    r = client.post("/admin/staff/revoke", data={"user_id": admin.id, "role": "admin"}, follow_redirects=True)
    assert "at least one admin" in r.get_data(as_text=True)
    assert db.session.get(User, admin.id).is_admin


def test_an_admin_can_step_down_when_another_admin_exists(client, ctx):
    admin = make_admin()
    make_admin()
    login(client, admin)
    client.post("/admin/staff/revoke", data={"user_id": admin.id, "role": "admin"})
    assert not db.session.get(User, admin.id).is_admin


def test_admin_creates_a_staff_account_which_gets_a_password_link(client, ctx, outbox):
    login(client, make_admin())
    r = client.post("/admin/staff", data={"new-full_name": "Nora Quill", "new-email": "nora@example.org",
                                          "new-roles": ["curator"], "new-submit": "1"})
    assert r.status_code == 302
    user = db.session.scalars(db.select(User).where(User.email == "nora@example.org")).one()
    assert user.is_curator and user.password_hash is None
    message = outbox.last()
    assert message["To"] == "nora@example.org" and "/password/reset/" in message.get_content()


def test_staff_account_for_an_existing_email_is_refused_with_a_hint(client, ctx):
    existing = make_user()
    login(client, make_admin())
    r = client.post("/admin/staff", data={"new-full_name": "X", "new-email": existing.email,
                                          "new-roles": ["curator"], "new-submit": "1"})
    assert r.status_code == 400 and "Grant the role" in r.get_data(as_text=True)
