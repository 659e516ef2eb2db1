"""The curator's workspace: own members, private notes and who sees them, reassignment, profile."""
import pytest

from club.curation import service
from club.extensions import db
from club.membership import states
from club.models.club import AuditEntry, InterestTag
from club.models.curation import CuratorProfile
from club.models.membership import Membership
from club.models.curation import CuratorAssignment, MemberNote
from tests.curation.factories import QueryCounter
from tests.factories import login, make_admin, make_curator, make_member


def test_a_curator_sees_only_their_own_members(client, ctx):
    mine, theirs = make_curator(), make_curator()
    make_member(curator=mine, name="Mina Mine")
    make_member(curator=mine, name="Paula Pending", state=states.PENDING_PAYMENT)
    make_member(curator=theirs, name="Otto Other")
    login(client, mine)
    body = client.get("/curation/members").get_data(as_text=True)
    assert "Mina Mine" in body and "Paula Pending" in body and "Awaiting payment" in body
    assert "Otto Other" not in body


def test_admins_see_every_member_and_can_narrow_to_one_curator(client, ctx):
    first, second = make_curator(name="Fay First"), make_curator(name="Sid Second")
    make_member(curator=first, name="Mina Mine")
    make_member(curator=second, name="Otto Other")
    login(client, make_admin())
    body = client.get("/curation/members").get_data(as_text=True)
    assert "Mina Mine" in body and "Otto Other" in body and "Fay First" in body
    body = client.get(f"/curation/members?curator={second.id}").get_data(as_text=True)
    assert "Otto Other" in body and "Mina Mine" not in body


def test_last_contact_is_the_latest_note(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    service.add_note(member.id, curator, "Called about the autumn dinner.")
    rows = service.my_members(curator)
    assert rows[0].last_contact is not None
    login(client, curator)
    body = client.get("/curation/members").get_data(as_text=True)
    assert rows[0].last_contact.strftime("%d %b %Y") in body


def test_the_members_page_runs_a_fixed_number_of_queries(client, ctx):
    curator = make_curator()
    login(client, curator)

    def measure(n):
        for _ in range(n):
            member = make_member(curator=curator)
            db.session.add(MemberNote(member_id=member.id, author_id=curator.id, body="note"))
        db.session.commit()
        client.get("/curation/members")
        with QueryCounter(db.engine) as counter:
            assert client.get("/curation/members").status_code == 200
        return counter.count

    assert measure(2) == measure(20)


def test_notes_are_seen_by_the_members_curator_and_admins_only(client, ctx):
    curator, other = make_curator(), make_curator()
    member = make_member(curator=curator)
    login(client, curator)
    r = client.post(f"/curation/members/{member.id}/notes", data={"note-body": "PRIVATE: prefers quiet tables."})
    assert r.status_code == 302
    assert "PRIVATE: prefers quiet tables." in client.get(f"/curation/members/{member.id}").get_data(as_text=True)
    client.post("/logout")

    login(client, other)
    assert client.get(f"/curation/members/{member.id}").status_code == 403
    assert client.post(f"/curation/members/{member.id}/notes", data={"note-body": "sneaky"}).status_code == 403
    client.post("/logout")

    login(client, member)
    assert client.get(f"/curation/members/{member.id}").status_code == 403
    for path in ("/me", "/members", f"/members/{member.id}", "/me/export"):
        assert "PRIVATE: prefers quiet tables." not in client.get(path).get_data(as_text=True)
    client.post("/logout")

    login(client, make_admin())
    assert "PRIVATE: prefers quiet tables." in client.get(f"/curation/members/{member.id}").get_data(as_text=True)
    export = client.get("/curation/notes/export")
    assert export.mimetype == "text/csv" and "PRIVATE: prefers quiet tables." in export.get_data(as_text=True)
    assert db.session.scalars(db.select(MemberNote)).one().author_id == curator.id


def test_only_admins_export_notes(client, ctx):
    login(client, make_curator())
    assert client.get("/curation/notes/export").status_code == 403


def test_an_empty_note_is_refused_next_to_its_field(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    login(client, curator)
    r = client.post(f"/curation/members/{member.id}/notes", data={"note-body": "  "})
    assert r.status_code == 400 and "Write the note first." in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberNote)) == 0


def test_an_admin_reassigns_a_member_and_everyone_is_told(client, ctx, outbox):
    old, new = make_curator(name="Olga Old"), make_curator(name="Nils New")
    member = make_member(curator=old, name="Mo Member")
    admin = make_admin()
    login(client, admin)
    r = client.post(f"/curation/members/{member.id}/curator",
                    data={"reassign-curator_id": str(new.id), "reassign-reason": "Moved to Paris."})
    assert r.status_code == 302
    membership = db.session.scalars(db.select(Membership).where(Membership.user_id == member.id)).one()
    assert membership.curator_id == new.id
    assignment = db.session.scalars(db.select(CuratorAssignment)).one()
    assert (assignment.previous_curator_id, assignment.curator_id, assignment.reason) == (old.id, new.id, "Moved to Paris.")
    assert "Nils New" in outbox.to(member.email)[0].get_content()
    assert "Moved to Paris." in outbox.to(new.email)[0].get_content()
    assert "Nils New" in outbox.to(old.email)[0].get_content()
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "curator.reassigned")).one()
    assert entry.details["old_curator_id"] == old.id and entry.details["new_curator_id"] == new.id
    # the old curator no longer sees the member; the new one does
    client.post("/logout")
    login(client, old)
    assert client.get(f"/curation/members/{member.id}").status_code == 403


def test_reassignment_needs_a_reason_and_an_admin(client, ctx, outbox):
    old, new = make_curator(), make_curator()
    member = make_member(curator=old)
    login(client, old)
    assert client.post(f"/curation/members/{member.id}/curator",
                       data={"reassign-curator_id": str(new.id), "reassign-reason": "x"}).status_code == 403
    client.post("/logout")
    login(client, make_admin())
    r = client.post(f"/curation/members/{member.id}/curator", data={"reassign-curator_id": str(new.id), "reassign-reason": ""})
    assert r.status_code == 400 and "Say why" in r.get_data(as_text=True)
    r = client.post(f"/curation/members/{member.id}/curator", data={"reassign-curator_id": str(old.id), "reassign-reason": "same"})
    assert r.status_code == 400 and "already this member" in r.get_data(as_text=True)
    assert db.session.scalars(db.select(Membership).where(Membership.user_id == member.id)).one().curator_id == old.id
    assert outbox.messages == []


def test_a_curator_edits_their_profile_and_matching_uses_it(client, ctx):
    for name in ("books", "film", "sailing"):
        db.session.add(InterestTag(name=name))
    db.session.commit()
    curator = make_curator()
    login(client, curator)
    assert client.get("/curation/profile").status_code == 200
    r = client.post("/curation/profile", data={
        "profile-bio": "Sailor.", "profile-contact": "Call me", "profile-city": "Bristol",
        "profile-interests": ["sailing", "film"], "profile-languages": "english, Welsh, English", "profile-capacity": "12"})
    assert r.status_code == 302
    profile = db.session.get(CuratorProfile, curator.id)
    assert (profile.city, profile.interests, profile.languages, profile.capacity) == (
        "Bristol", ["film", "sailing"], ["English", "Welsh"], 12)


def test_profile_errors_keep_what_was_typed(client, ctx):
    curator = make_curator()
    login(client, curator)
    r = client.post("/curation/profile", data={"profile-city": "Bath", "profile-capacity": "0",
                                               "profile-interests": ["not-a-tag"]})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and 'value="Bath"' in body and 'class="error"' in body


def test_only_curators_have_a_profile_page(client, ctx):
    login(client, make_admin())
    assert client.get("/curation/profile").status_code == 403


@pytest.mark.parametrize("state, counts", [(states.ACTIVE, True), (states.PENDING_PAYMENT, True),
                                           (states.PAST_DUE, True), (states.CANCELLING, True),
                                           (states.ENDED, False), (states.LAPSED, False), (states.SUSPENDED, False)])
def test_curator_load_counts_live_memberships_only(ctx, state, counts):
    curator = make_curator()
    make_member(curator=curator, state=state)
    assert service.curator_loads().get(curator.id, 0) == (1 if counts else 0)


def test_the_notes_export_does_not_run_formulas_in_a_spreadsheet(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    service.add_note(member.id, curator, '=HYPERLINK("http://evil.example","x")')
    login(client, make_admin())
    body = client.get("/curation/notes/export").get_data(as_text=True)
    assert "'=HYPERLINK" in body
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "member.notes_exported")).one()


def test_the_same_note_sent_twice_is_kept_once(client, ctx):
    from club.models.curation import MemberNote
    from tests.factories import make_curator, make_member

    curator = make_curator()
    member = make_member(curator=curator)
    login(client, curator)
    for _ in range(2):
        client.post(f"/curation/members/{member.id}/notes", data={"note-body": "Prefers quiet tables."})
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberNote)) == 1
    client.post(f"/curation/members/{member.id}/notes", data={"note-body": "Loves Sebald."})
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberNote)) == 2
