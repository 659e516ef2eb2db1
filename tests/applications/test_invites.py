"""Members invite: the page, the mail, the quota, revocation, and refusals that leak nothing."""
import re
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import event

from club.applications.invites import invites_left, start_reinvite_cooldown
from club.extensions import db
from club.membership import states
from club.models.applications import Invitation
from club.models.base import utcnow
from club.models.club import AuditEntry
from tests.applications.factories import make_application, make_club_member, make_invitation
from tests.core.test_mail import _wait_for, smtp_server  # noqa: F401  (the SMTP fixture)
from tests.factories import login


def _invite(client, email, note=None):
    data = {"email": email}
    if note is not None:
        data["note"] = note
    return client.post("/invites", data=data)


def _link(message) -> str:
    return re.search(r"http://club\.test(/apply/\S+)", message.get_content()).group(1)


def test_member_sees_quota_and_sends_an_invite_by_mail(client, ctx, outbox):
    member = make_club_member(name="Margot Ellery")
    login(client, member)
    page = client.get("/invites").get_data(as_text=True)
    assert "3</span>" in page and "of 3 invites left this quarter" in page

    r = _invite(client, " Friend@Example.NET ", note="We sailed together in Brittany.")
    assert r.status_code == 302
    invitation = db.session.scalars(db.select(Invitation)).one()
    assert invitation.email == "friend@example.net" and invitation.inviter_id == member.id
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)

    message = outbox.last()
    assert message["To"] == "friend@example.net"
    assert "Margot Ellery invites you to apply" in message["Subject"]
    body = message.get_content()
    assert "We sailed together in Brittany." in body
    page = client.get("/invites").get_data(as_text=True)
    assert "friend@example.net" in page and "Sent" in page and "of 3 invites left" in page
    assert ">2</span>" in page
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.action == "invitation.sent"))


def test_the_invite_link_opens_the_form_and_the_member_sees_it_opened(client, ctx, outbox, app):
    member = make_club_member()
    login(client, member)
    _invite(client, "friend@example.net")
    link = _link(outbox.last())
    visitor = app.test_client()
    r = visitor.get(link)
    assert r.status_code == 200 and "Apply to" in r.get_data(as_text=True)
    assert "Opened" in client.get("/invites").get_data(as_text=True)


def test_an_invalid_email_is_refused_with_the_typed_values_kept(client, ctx):
    login(client, make_club_member())
    r = _invite(client, "not-an-email", note="My old friend")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'id="email-error"' in body and "does not look like an email" in body
    assert 'value="not-an-email"' in body and "My old friend" in body


def test_quota_is_per_quarter(client, ctx):
    member = make_club_member()
    # Invites from last quarter do not count.
    with freeze_time("2026-03-20 12:00:00"):
        for i in range(3):
            make_invitation(member, email=f"old{i}@example.net", created_at=utcnow())
    with freeze_time("2026-04-02 12:00:00"):
        login(client, member)
        for i in range(3):
            assert _invite(client, f"new{i}@example.net").status_code == 302
        assert invites_left(member) == 0
        r = _invite(client, "one-too-many@example.net")
        assert r.status_code == 400
        assert "You have used all 3 invites of this quarter" in r.get_data(as_text=True)
        assert "1 July 2026" in r.get_data(as_text=True)  # the long_date style (Babel), not strftime
        assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)
                                 .where(Invitation.email == "one-too-many@example.net")) == 0
    with freeze_time("2026-07-01 09:00:00"):
        assert invites_left(member) == 3


def test_quota_follows_the_admin_setting(client, ctx):
    from club.core import settings

    settings.update({"invite_quota": 1})
    db.session.commit()
    member = make_club_member()
    login(client, member)
    assert _invite(client, "a@example.net").status_code == 302
    assert _invite(client, "b@example.net").status_code == 400


def test_revoking_an_unused_invite_gives_the_quota_back_and_kills_the_link(client, ctx, outbox, app):
    member = make_club_member()
    login(client, member)
    for i in range(3):
        _invite(client, f"f{i}@example.net")
    assert invites_left(member) == 0
    link = _link(outbox.to("f1@example.net")[0])
    invitation = db.session.scalars(db.select(Invitation).where(Invitation.email == "f1@example.net")).one()
    r = client.post(f"/invites/{invitation.id}/revoke")
    assert r.status_code == 302
    assert invites_left(member) == 1
    assert "Revoked" in client.get("/invites").get_data(as_text=True)
    r = app.test_client().get(link)
    assert r.status_code == 410 and "withdrawn" in r.get_data(as_text=True)
    # The freed invite can go to someone else, or to the same person again.
    assert _invite(client, "f1@example.net").status_code == 302


def test_a_member_cannot_revoke_someone_elses_invite(client, ctx):
    invitation = make_invitation(make_club_member())
    login(client, make_club_member())
    assert client.post(f"/invites/{invitation.id}/revoke").status_code == 404
    db.session.refresh(invitation)
    assert invitation.revoked_at is None


def test_a_used_invite_cannot_be_revoked(client, ctx):
    member = make_club_member()
    _user, _application, invitation = make_application(member)
    login(client, member)
    client.post(f"/invites/{invitation.id}/revoke")
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None
    assert "has been used to apply" in client.get("/invites").get_data(as_text=True)


def _refusal(client, email) -> str:
    r = _invite(client, email)
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    return re.search(r'id="email-error">(.*?)</p>', body, re.S).group(1)


def test_taken_emails_are_refused_with_one_answer_that_reveals_nothing(client, ctx):
    other_member = make_club_member(email="known.member@example.net", name="Octavia Privet")
    make_invitation(make_club_member(), email="invited.elsewhere@example.net")
    _applicant, application, _inv = make_application(make_club_member(), email="applicant@example.net")
    rejected = "rejected.and.erased@example.net"
    start_reinvite_cooldown(rejected.upper())
    db.session.commit()

    login(client, make_club_member())
    answers = {email: _refusal(client, email) for email in
               (other_member.email, "invited.elsewhere@example.net", "applicant@example.net", rejected)}
    assert len(set(answers.values())) == 1, answers
    text = next(iter(answers.values()))
    assert "cannot be invited" in text
    for private in ("Octavia", "Privet", "Ada Quill", "rejected", "reject", "submitted", "member since"):
        assert private not in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 2


def test_the_cool_down_ends(client, ctx):
    with freeze_time("2026-01-10 10:00:00"):
        start_reinvite_cooldown("again@example.net")
        db.session.commit()
    member = make_club_member()
    with freeze_time("2026-12-10 10:00:00"):
        login(client, member)
        assert _invite(client, "again@example.net").status_code == 400
    with freeze_time("2027-01-11 10:00:00"):
        login(client, member)
        assert _invite(client, "again@example.net").status_code == 302


def test_the_cool_down_is_kept_as_a_keyed_hash_only(ctx):
    from club.models.applications import EmailCooldown

    start_reinvite_cooldown("Someone@Example.net")
    db.session.commit()
    row = db.session.scalars(db.select(EmailCooldown)).one()
    assert "someone" not in row.email_hash.lower() and len(row.email_hash) == 64
    assert row.until > utcnow() + timedelta(days=360)


def test_inviting_someone_you_already_invited_says_so(client, ctx):
    login(client, make_club_member())
    _invite(client, "twice@example.net")
    assert "You have already invited this email" in _refusal(client, "twice@example.net")


def test_an_expired_invite_no_longer_blocks_the_email(client, ctx):
    past = utcnow() - timedelta(days=20)
    make_invitation(make_club_member(), email="lapsed@example.net", created_at=past)
    login(client, make_club_member())
    assert _invite(client, "lapsed@example.net").status_code == 302


@pytest.mark.parametrize("state", [states.LAPSED, states.PENDING_PAYMENT, states.SUSPENDED])
def test_members_without_access_cannot_invite(client, ctx, state):
    login(client, make_club_member(state=state))
    assert client.get("/invites").status_code == 403
    assert _invite(client, "x@example.net").status_code == 403


def test_the_invites_page_runs_a_bounded_number_of_queries(app, client, ctx):
    member = make_club_member()
    login(client, member)

    def count_queries(path):
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    make_invitation(member, email="one@example.net")
    count_queries("/invites")  # the first page of a visit also checks the rules were accepted
    few = count_queries("/invites")
    for i in range(8):
        make_invitation(member, email=f"many{i}@example.net", created_at=utcnow() - timedelta(days=200))
    make_application(member, email="applied@example.net")
    assert count_queries("/invites") == few


def test_the_invite_mail_goes_through_a_real_smtp_server(client, ctx, smtp_server):  # noqa: F811
    login(client, make_club_member(name="Margot Ellery"))
    assert client.post("/invites", data={"email": "friend@example.net"}).status_code == 302
    assert _wait_for(lambda: smtp_server.received)
    message = smtp_server.received[0]
    assert message["To"] == "friend@example.net" and "Margot Ellery invites you" in message["Subject"]
    plain = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert "http://club.test/apply/" in plain.get_payload(decode=True).decode()


# Only people with member access invite: a staff role alone gives no invitation ----------------

@pytest.mark.parametrize("role", ["curator", "admin"])
def test_staff_without_a_membership_cannot_invite_and_are_told_why(client, ctx, outbox, role):
    from tests.factories import make_user

    staff = make_user(roles=(role,))
    login(client, staff)
    page = client.get("/invites")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "Invitations and endorsements are for members" in text
    assert f"Your {role} role lets you review and decide applications, not invite or endorse them" in text

    refused = _invite(client, "friend@example.net")
    assert refused.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 0
    assert outbox.messages == []


def test_the_service_refuses_an_invite_from_staff_without_a_membership(ctx, outbox):
    from club.applications.invites import InviteRefused, send_invitation
    from tests.factories import make_curator

    with pytest.raises(InviteRefused, match="Only members whose membership is active invite"):
        send_invitation(make_curator(), "friend@example.net")
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 0
    assert outbox.messages == []


def test_a_curator_who_is_also_an_active_member_invites(client, ctx, outbox):
    from club.models.user import ROLE_CURATOR, UserRole

    curator_member = make_club_member()
    db.session.add(UserRole(user_id=curator_member.id, role=ROLE_CURATOR))
    db.session.commit()
    login(client, curator_member)
    assert client.get("/invites").status_code == 200
    assert _invite(client, "friend@example.net").status_code == 302
    assert db.session.scalars(db.select(Invitation.inviter_id)).one() == curator_member.id
