"""Applicants apply: link checks, every form rule with values kept, double submits, the account."""
import re
import threading
from datetime import timedelta

import pytest
from freezegun import freeze_time

from club.applications.applying import Answers, submit_application
from club.applications.invite_links import InviteLinkUsed
from club.extensions import db
from club.models.applications import Application, Endorsement, Invitation
from club.models.base import utcnow
from club.models.club import RulesAcceptance, RulesVersion
from club.models.user import User
from tests.applications.factories import (APPLICANT_PASSWORD, application_form, current_rules, make_club_member,
                                          make_interests, make_invitation, submit, token_for)


@pytest.fixture
def invitation(ctx):
    make_interests()
    current_rules()
    return make_invitation(make_club_member(name="Margot Ellery"), email="ada@example.net",
                           note="Ada binds the most beautiful books.")


def _nothing_created():
    return (db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0
            and db.session.scalar(db.select(db.func.count()).select_from(User).where(User.email == "ada@example.net")) == 0)


def test_the_form_shows_who_invited_and_the_rules(client, invitation):
    r = client.get(f"/apply/{token_for(invitation)}")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Margot Ellery" in body and "Ada binds the most beautiful books." in body
    assert 'value="ada@example.net"' in body and "readonly" in body
    assert current_rules().body in body
    assert 'name="rules_version" type="hidden" value="%d"' % current_rules().id in body
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).opened_at is not None


def test_a_complete_application_creates_the_account_and_logs_the_applicant_in(client, invitation, outbox):
    r = submit(client, invitation, current_rules().id)
    assert r.status_code == 302 and r.headers["Location"].endswith("/application")
    application = db.session.scalars(db.select(Application)).one()
    assert application.state == "submitted" and application.email == "ada@example.net"
    assert application.links == ["https://example.com/ada", "https://quill.example.org/work"]
    assert application.interests == ["books", "sailing"] and application.languages == ["English", "French"]
    assert application.rules_version_id == current_rules().id
    user = db.session.get(User, application.user_id)
    assert user.email == "ada@example.net" and not user.roles and user.membership is None
    assert db.session.get(RulesAcceptance, (user.id, current_rules().id)) is not None
    # The inviter's invitation is the first endorsement, with their note as the statement.
    endorsement = db.session.scalars(db.select(Endorsement)).one()
    assert endorsement.endorser_id == invitation.inviter_id and endorsement.state == "endorsed"
    assert endorsement.statement == "Ada binds the most beautiful books."
    assert application.endorsement_count == 1
    assert db.session.get(Invitation, invitation.id).used_at is not None

    page = client.get("/application").get_data(as_text=True)
    assert "Endorsements: 1 of 2" in page and "Margot Ellery" in page
    assert [m["To"] for m in outbox.messages] == ["ada@example.net", invitation.inviter.email]


def test_without_a_note_the_inviter_statement_says_they_invited(client, ctx):
    make_interests()
    invitation = make_invitation(email="ada@example.net", note=None)
    submit(client, invitation, current_rules().id)
    assert db.session.scalars(db.select(Endorsement.statement)).one() == "Invited them"


@pytest.mark.parametrize("change, title", [
    ("tampered", "This invitation link is not valid"),
    ("other_secret", "This invitation link is not valid"),
    ("expired_by_clock", "This invitation has expired"),
    ("expired_row", "This invitation has expired"),
    ("revoked", "This invitation was withdrawn"),
    ("used", "This invitation has already been used"),
    ("email_changed", "This invitation link is not valid"),
])
def test_unusable_links_say_what_happened_and_create_nothing(app, client, invitation, change, title):
    token = token_for(invitation)
    if change == "tampered":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif change == "other_secret":
        from itsdangerous import URLSafeTimedSerializer
        token = URLSafeTimedSerializer("guessed", salt="club-invitation").dumps({"i": invitation.id, "e": "x"})
    elif change == "expired_row":
        invitation.expires_at = utcnow() - timedelta(minutes=1)
    elif change == "revoked":
        invitation.revoked_at = utcnow()
    elif change == "used":
        invitation.used_at = utcnow()
    elif change == "email_changed":
        invitation.email = "someone.else@example.net"
    db.session.commit()

    def attempt():
        get = client.get(f"/apply/{token}")
        post = client.post(f"/apply/{token}", data=application_form(current_rules().id))
        return get, post

    if change == "expired_by_clock":
        with freeze_time(utcnow() + timedelta(days=14, minutes=1)):
            get, post = attempt()
    else:
        get, post = attempt()
    for r in (get, post):
        body = r.get_data(as_text=True)
        assert r.status_code in (404, 410)
        assert title in body and "club.css" in body
        assert "ask the member who invited you" in body.lower() or "ask your member" in body.lower() \
            or "ask them for a new one" in body.lower()
        assert 'name="password"' not in body
    if change != "used":
        assert _nothing_created()


# Each rule of the form: (what is changed, the field whose error shows, words of the error).
VALIDATION = [
    ({"full_name": ""}, "full_name", "Give your full name."),
    ({"full_name": "x" * 201}, "full_name", "200"),
    ({"city": ""}, "city", "Tell us the city you live in."),
    ({"occupation": ""}, "occupation", "Tell us what you do."),
    ({"company": "c" * 161}, "company", "160"),
    ({"links": ""}, "links", "Give at least one link"),
    ({"links": "my-site dot com"}, "links", "is not a web address"),
    ({"links": "javascript:alert(1)"}, "links", "is not a web address"),
    ({"links": "\n".join(f"https://{i}.example.com" for i in range(6))}, "links", "at most 5 links"),
    ({"interests": None}, "interests", "Choose at least one interest."),
    ({"interests": ["books", "knitting"]}, "interests", "not a valid choice"),
    ({"languages": ""}, "languages", "Name at least one language"),
    ({"languages": ", ".join(f"L{i}" for i in range(11))}, "languages", "at most 10 languages"),
    ({"motivation": ""}, "motivation", "Tell us why you want to join."),
    ({"motivation": "Because."}, "motivation", "at least 80 characters"),
    ({"contribution": "Cake."}, "contribution", "at least 80 characters"),
    ({"contribution": "x" * 4001}, "contribution", "at least 80 characters"),
    ({"accept_rules": None}, "accept_rules", "Please accept the club rules"),
    ({"password": "short", "confirm": "short"}, "password", "at least 10 characters"),
    ({"confirm": "something else entirely"}, "confirm", "The two passwords differ."),
    ({"confirm": ""}, "confirm", "Repeat the password."),
]


@pytest.mark.parametrize("change, field, message", VALIDATION,
                         ids=[f"{field}-{i}" for i, (_c, field, _m) in enumerate(VALIDATION)])
def test_each_rule_reshows_the_form_with_the_error_at_its_field_and_values_kept(client, invitation, change, field,
                                                                                message):
    data = application_form(current_rules().id, **change)
    r = client.post(f"/apply/{token_for(invitation)}", data=data)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', body, re.S)
    assert error is not None, f"no error shown at {field}"
    assert message in error.group(1)
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field}"', body) \
        or field in ("interests",)
    # Every other typed value is still there (passwords are never echoed back).
    for name in ("full_name", "city", "occupation", "company", "languages"):
        if name not in change:
            assert f'value="{data[name]}"' in body.replace("&#39;", "'")
    for name in ("motivation", "contribution", "links"):
        if name not in change:
            assert data[name] in body
    if "interests" not in change:
        assert re.search(r'checked[^>]*value="books"|value="books"[^>]*checked', body)
    assert APPLICANT_PASSWORD not in body
    assert _nothing_created()


def test_the_rules_changing_while_reading_asks_to_accept_the_new_version(client, invitation):
    old = current_rules().id
    db.session.add(RulesVersion(body="New rule: members bring only one guest each evening."))
    db.session.commit()
    r = client.post(f"/apply/{token_for(invitation)}", data=application_form(old))
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "The club rules changed while you were reading" in body
    assert "New rule: members bring only one guest" in body
    assert _nothing_created()
    new = current_rules().id
    assert client.post(f"/apply/{token_for(invitation)}", data=application_form(new)).status_code == 302
    user = db.session.scalars(db.select(User).where(User.email == "ada@example.net")).one()
    assert db.session.get(RulesAcceptance, (user.id, new)) is not None


def test_the_email_cannot_be_changed_by_the_form(client, invitation):
    submit(client, invitation, current_rules().id, email="someone.else@example.net")
    assert db.session.scalars(db.select(Application.email)).one() == "ada@example.net"
    assert db.session.scalar(db.select(User.id).where(User.email == "someone.else@example.net")) is None


def test_a_double_submit_creates_one_application(client, invitation):
    first = submit(client, invitation, current_rules().id)
    second = submit(client, invitation, current_rules().id)
    assert first.status_code == 302
    assert second.status_code == 410 and "already been used" in second.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Endorsement)) == 1


def test_racing_submits_create_one_application(app, invitation):
    token, data = token_for(invitation), application_form(current_rules().id)
    db.session.commit()
    results, barrier = [], threading.Barrier(6)

    def post():
        client = app.test_client()
        barrier.wait()
        results.append(client.post(f"/apply/{token}", data=data).status_code)

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    assert sorted(results) == [302] + [410] * 5
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(User).where(User.email == "ada@example.net")) == 1


def test_an_account_made_meanwhile_for_the_email_stops_the_application(client, invitation):
    from tests.factories import make_user

    make_user(email="ada@example.net")
    r = submit(client, invitation, current_rules().id)
    assert r.status_code == 409 and "already has an account" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).used_at is None


def test_applying_is_rate_limited(client, invitation):
    for _ in range(10):
        assert client.post(f"/apply/{token_for(invitation)}", data={"full_name": ""}).status_code == 400
    r = client.post(f"/apply/{token_for(invitation)}", data=application_form(current_rules().id))
    assert r.status_code == 429
    assert _nothing_created()


def test_the_service_refuses_a_used_token_too(ctx, invitation):
    answers = Answers(full_name="Ada", city="Bristol", occupation="Binder", company=None,
                      links=["https://example.com"], interests=["books"], languages=["English"],
                      motivation="m" * 90, contribution="c" * 90, rules_version_id=current_rules().id,
                      password=APPLICANT_PASSWORD)
    submit_application(token_for(invitation), answers)
    with pytest.raises(InviteLinkUsed):
        submit_application(token_for(invitation), answers)


# The inviter's automatic endorsement is a member's: a staff role alone, or a lapsed membership, gives none.

@pytest.mark.parametrize("inviter_kind", ["curator", "admin", "lapsed member"])
def test_an_inviter_without_member_access_gives_no_endorsement(client, ctx, inviter_kind):
    from club.membership import states
    from tests.factories import make_admin, make_curator

    make_interests()
    if inviter_kind == "curator":
        inviter = make_curator()
    elif inviter_kind == "admin":
        inviter = make_admin()
    else:
        inviter = make_club_member(state=states.LAPSED)
    invitation = make_invitation(inviter, email="ada@example.net")  # sent before the rule was enforced
    assert submit(client, invitation, current_rules().id).status_code == 302
    application = db.session.scalars(db.select(Application)).one()
    assert application.endorsement_count == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Endorsement)) == 0


def test_a_curator_who_is_an_active_member_endorses_by_inviting(client, ctx):
    from club.models.user import ROLE_CURATOR, UserRole

    make_interests()
    inviter = make_club_member()
    db.session.add(UserRole(user_id=inviter.id, role=ROLE_CURATOR))
    db.session.commit()
    assert submit(client, make_invitation(inviter, email="ada@example.net"), current_rules().id).status_code == 302
    assert db.session.scalars(db.select(Application.endorsement_count)).one() == 1
