"""/admin/mail: the admin sees failed and waiting messages, a page at a time, and can retry one."""
import pytest
from sqlalchemy import select

from club.core.mail import send_mail
from club.extensions import db
from club.models.club import AuditEntry, OutboxMail
from tests.factories import login, make_admin, make_curator, make_member, make_user


def _mail(to: str, state: str, attempts: int = 0, error: str | None = None) -> OutboxMail:
    row = send_mail(to, "Welcome", "password_reset", user=make_user(), link="http://club.test/password/reset/secret")
    row.state, row.attempts, row.last_error = state, attempts, error
    return row


@pytest.mark.parametrize("who,expected", [(make_member, 403), (make_curator, 403), (make_admin, 200)])
def test_only_admins_see_the_mail_page(client, ctx, who, expected):
    login(client, who())
    assert client.get("/admin/mail").status_code == expected
    assert client.post("/admin/mail/retry", data={"mail_id": "1"}).status_code in (expected, 400, 302)
    if expected == 403:
        assert client.post("/admin/mail/retry", data={"mail_id": "1"}).status_code == 403


def test_failed_and_waiting_messages_are_listed_without_their_body(client, ctx):
    _mail("failed@example.org", "failed", 8, "SMTPDataError: 451 try again later")
    _mail("waiting@example.org", "waiting", 2, "ConnectionRefusedError: [Errno 111]")
    _mail("sent@example.org", "sent")
    db.session.commit()
    login(client, make_admin())
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "failed@example.org" in page and "waiting@example.org" in page and "sent@example.org" not in page
    assert page.index("failed@example.org") < page.index("waiting@example.org")  # failed first
    assert "451 try again later" in page and "1 failed" in page and "1 waiting" in page
    assert "reset/secret" not in page  # the body (a live link) is never shown


def test_the_admin_retries_a_failed_message(client, ctx, outbox):
    row = _mail("failed@example.org", "failed", 8, "SMTPDataError: 451")
    db.session.commit()
    admin = make_admin()
    login(client, admin)
    r = client.post("/admin/mail/retry", data={"mail_id": str(row.id)})
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/mail?page=1")
    db.session.rollback()
    again = db.session.get(OutboxMail, row.id)
    assert (again.state, again.attempts) == ("waiting", 0)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "mail.retried")).one()
    assert entry.actor_id == admin.id and entry.details == {"mail_id": row.id}
    assert [m["To"] for m in outbox.messages] == ["failed@example.org"]  # the worker sends it
    assert client.post("/admin/mail/retry", data={"mail_id": str(row.id)}, follow_redirects=True) \
        .get_data(as_text=True).count("already sent") == 1


@pytest.mark.parametrize("mail_id", ["", "abc", "99999999999999999999"])
def test_a_bad_retry_reference_is_refused_not_a_500(client, ctx, mail_id):
    login(client, make_admin())
    assert client.post("/admin/mail/retry", data={"mail_id": mail_id}).status_code in (400, 302)


def test_the_list_is_paginated(client, ctx):
    for n in range(30):
        _mail(f"reader{n:02}@example.org", "waiting")
    db.session.commit()
    login(client, make_admin())
    first = client.get("/admin/mail").get_data(as_text=True)
    second = client.get("/admin/mail?page=2").get_data(as_text=True)
    assert "reader00@" in first and "reader25@" not in first and "Page 1 of 2" in first
    assert "reader25@" in second and "reader00@" not in second
