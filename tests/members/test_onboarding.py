"""The welcome checklist and the club rules, accepted with their version and again when they change."""
import re

import pytest

from club.extensions import db
from club.members import onboarding
from club.models.club import AuditEntry, RulesAcceptance
from tests.factories import login, make_admin, make_curator, make_member, make_rules
from tests.members.factories import make_tags


@pytest.mark.parametrize("rules,profile,directory,hello,has_curator,done,next_key", [
    (False, False, False, False, True, False, "rules"),
    (True, False, False, False, True, False, "profile"),
    (True, True, False, True, True, False, "directory"),
    (True, True, True, False, True, False, "hello"),
    (True, True, True, False, False, True, None),  # no curator yet: nobody to greet
    (True, True, True, True, True, True, None),
])
def test_checklist(rules, profile, directory, hello, has_curator, done, next_key):
    checklist = onboarding.checklist(rules_accepted=rules, profile_complete=profile, directory_chosen=directory,
                                     said_hello=hello, has_curator=has_curator)
    assert checklist.done is done
    assert (checklist.next_step.key if checklist.next_step else None) == next_key


class _P:
    def __init__(self, **kw):
        self.bio, self.interests, self.languages, self.city = kw.get("bio"), kw.get("interests"), \
            kw.get("languages"), kw.get("city")


@pytest.mark.parametrize("kwargs,complete", [
    ({"bio": "Hi", "interests": ["art"], "languages": ["English"], "city": "Oslo"}, True),
    ({"bio": "  ", "interests": ["art"], "languages": ["English"], "city": "Oslo"}, False),
    ({"bio": "Hi", "interests": [], "languages": ["English"], "city": "Oslo"}, False),
    ({"bio": "Hi", "interests": ["art"], "languages": [], "city": "Oslo"}, False),
    ({"bio": "Hi", "interests": ["art"], "languages": ["English"], "city": None}, False),
])
def test_profile_completeness_needs_no_photo(kwargs, complete):
    assert onboarding.profile_is_complete(_P(**kwargs)) is complete


def test_a_new_member_works_through_the_checklist(client, ctx, outbox):
    rules = make_rules()
    make_tags("books", "wine")
    curator = make_curator()
    member = make_member(curator=curator)
    login(client, member)

    # First visit: the rules come first, then /me shows the checklist.
    r = client.get("/me")
    assert r.status_code == 302 and "/me/rules" in r.headers["Location"]
    r = client.post(r.headers["Location"], data={"version_id": str(rules.id)})
    assert r.status_code == 400 and "Please tick the box" in r.get_data(as_text=True)
    r = client.post("/me/rules?next=/me", data={"version_id": str(rules.id), "accept": "y"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/me")
    acceptance = db.session.scalars(db.select(RulesAcceptance)).one()
    assert (acceptance.user_id, acceptance.rules_version_id) == (member.id, rules.id)

    page = client.get("/me").get_data(as_text=True)
    assert "Getting started" in page and "1 of 4 done" in page

    r = client.post("/me/profile", data={"full_name": member.full_name, "city": "Bath", "bio": "I bind books.",
                                         "interests": ["books"], "languages": "English, French", "links": ""})
    assert r.status_code == 302
    assert "2 of 4 done" in client.get("/me").get_data(as_text=True)

    client.post("/me/privacy", data={"listed": "hidden"})  # staying hidden is a choice too
    assert "3 of 4 done" in client.get("/me").get_data(as_text=True)

    r = client.post("/me/hello", data={"body": "Hello Julian, glad to be here."})
    assert r.status_code == 302 and "/me/requests/" in r.headers["Location"]
    assert "glad to be here" in outbox.to(curator.email)[-1].get_content()
    assert "Getting started" not in client.get("/me").get_data(as_text=True)


def test_new_rules_are_accepted_again_at_the_next_visit(client, ctx):
    first = make_rules("Version one of the rules.")
    member = make_member()
    db.session.add(RulesAcceptance(user_id=member.id, rules_version_id=first.id))
    db.session.commit()
    login(client, member)
    assert client.get("/members").status_code == 200

    second = make_rules("Version two: the rules changed.")
    r = client.get("/members")
    assert r.status_code == 302 and "/me/rules" in r.headers["Location"] and "next=/members" in r.headers["Location"]
    page = client.get("/me/rules").get_data(as_text=True)
    assert "Version two: the rules changed." in page
    # Accepting an older version than the one in force is refused.
    client.post("/me/rules", data={"version_id": str(first.id), "accept": "y"})
    assert client.get("/members").status_code == 302
    client.post("/me/rules", data={"version_id": str(second.id), "accept": "y"})
    assert client.get("/members").status_code == 200
    versions = set(db.session.scalars(db.select(RulesAcceptance.rules_version_id)
                                      .where(RulesAcceptance.user_id == member.id)))
    assert versions == {first.id, second.id}
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "rules.accepted")).one()


def test_pages_for_leaving_and_billing_stay_open_before_accepting(client, ctx):
    make_rules()
    login(client, make_member())
    for path in ("/me/export", "/me/leave", "/me/delete", "/me/rules"):
        assert client.get(path).status_code == 200, path
    assert client.get("/me/requests").status_code == 302


def test_accepting_twice_records_once(client, ctx):
    rules = make_rules()
    member = make_member()
    login(client, member)
    for _ in range(2):
        client.post("/me/rules", data={"version_id": str(rules.id), "accept": "y"})
    assert db.session.scalar(db.select(db.func.count()).select_from(RulesAcceptance)) == 1


def test_staff_without_a_membership_and_members_without_access_are_not_stopped(client, ctx):
    make_rules()
    login(client, make_admin())
    assert client.get("/admin").status_code == 200
    client.post("/logout")
    login(client, make_member(state="pending_payment"))
    assert client.get("/me").status_code == 200


def test_profile_form_keeps_typed_values_on_error(client, ctx):
    login(client, make_member())
    r = client.post("/me/profile", data={"full_name": "", "city": "Typed City", "links": "not a link"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Typed City" in body and "is not a web address" in body


def test_an_empty_hello_marks_the_field_with_its_error_beside_it_and_no_banner(client, ctx, outbox):
    curator = make_curator()
    member = make_member(curator=curator)
    login(client, member)
    r = client.post("/me/hello", data={"body": "   "})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    # The field itself says it is in error, and points at its message; the summary links to it.
    assert 'aria-invalid="true"' in page and re.search(r'aria-describedby="[^"]*body-error"', page)
    assert 'id="body-error"' in page
    # No banner: neither a flash message nor an error summary; the one-field form focuses the field.
    assert "flash-error" not in page and "data-error-summary" not in page and "data-focus-invalid" in page
    assert outbox.to(curator.email) == []


def test_a_refused_hello_is_an_error_at_the_field_too(client, ctx, outbox, monkeypatch):
    from club.members import requests_service

    def refuse(*_a, **_k):
        raise requests_service.RequestError("You already said hello.")

    monkeypatch.setattr(requests_service, "say_hello", refuse)
    login(client, make_member(curator=make_curator()))
    r = client.post("/me/hello", data={"body": "Hello again"})
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "flash-error" not in page
    assert re.search(r'id="body-error">\s*You already said hello.', page) and "Hello again" in page
